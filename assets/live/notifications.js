// Loaded by every signed-in page (deferred, no WASM): keeps the header's count of unseen
// notifications live through server-sent events. Without JavaScript the page shows the count it
// was served with, and a refresh updates it.
//
// One stream per tab while the tab is shown: over HTTP/1.1 a browser keeps about six connections
// to a server, and tabs left open in the background must not hold them all. A tab shown again
// reopens its stream, whose first event is the count of the moment.
(() => {
  const count = document.querySelector("[data-unseen]");
  if (!count || !("EventSource" in window)) return;
  let stream = null;
  const show = (event) => {
    const unseen = Number.parseInt(event.data, 10);
    if (!Number.isSafeInteger(unseen) || unseen < 0) return;
    count.textContent = String(unseen);
    count.hidden = unseen === 0;
  };
  const open = () => {
    if (stream || document.hidden) return;
    stream = new EventSource("/api/v1/notifications/stream");
    stream.addEventListener("unseen", show);
  };
  const close = () => {
    stream?.close();
    stream = null;
  };
  document.addEventListener("visibilitychange", () => (document.hidden ? close() : open()));
  // Leaving the page (or its going into the back-forward cache) lets the connection go at once.
  window.addEventListener("pagehide", close);
  window.addEventListener("pageshow", open);
  open();
})();
