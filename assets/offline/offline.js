// Loaded by the « à faire » page only: registers the service worker that keeps the page for
// reading offline, and says so when the page shown is the kept copy.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
if (!navigator.onLine) {
  const fetched = document.querySelector("[data-fetched]");
  if (fetched) {
    fetched.textContent = "Hors connexion : voici la dernière version reçue. " + fetched.textContent;
    fetched.classList.add("offline");
  }
}
