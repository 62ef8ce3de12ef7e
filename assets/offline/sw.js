// Préau's service worker: keeps the last « à faire » page fetched, and nothing else, so that a
// pupil or a parent can read it when the phone loses the school's Wi-Fi. The page carries its
// own date (« Mis à jour le … »). Signing out, or being signed out, forgets the copy.
const CACHE = "preau-a-faire-v1";
const PAGE = "/cahier-de-textes/a-faire";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "POST" && url.pathname === "/deconnexion") {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (request.method !== "GET" || request.mode !== "navigate" || url.pathname !== PAGE) {
    return;
  }
  event.respondWith(
    (async () => {
      let response;
      try {
        response = await fetch(request);
      } catch (offline) {
        const kept = await caches.match(request);
        if (kept) {
          return kept;
        }
        throw offline;
      }
      if (response.ok && response.headers.get("x-preau-offline") === "a-faire") {
        const cache = await caches.open(CACHE);
        await cache.put(request, response.clone());
      } else if (response.redirected || response.status === 401 || response.status === 403) {
        await caches.delete(CACHE);
      }
      return response;
    })(),
  );
});
