// Loaded by every signed-in page (deferred, no WASM): keeps the header's count of unseen
// notifications live through server-sent events, one stream per open tab. Without JavaScript
// the page shows the count it was served with, and a refresh updates it.
(() => {
  const count = document.querySelector("[data-unseen]");
  if (!count || !("EventSource" in window)) return;
  const stream = new EventSource("/api/v1/notifications/stream");
  stream.addEventListener("unseen", (event) => {
    const unseen = Number.parseInt(event.data, 10);
    if (!Number.isSafeInteger(unseen) || unseen < 0) return;
    count.textContent = String(unseen);
    count.hidden = unseen === 0;
  });
  // A page put aside (back-forward cache, a tab closed) lets its connection go at once.
  window.addEventListener("pagehide", () => stream.close());
})();
