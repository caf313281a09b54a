// Cookieless page-view count: sends this page's path and referrer to our own server. No cookie,
// no storage, nothing read from the device. See src/pledge/analytics/README.md.
(function () {
  var s = document.currentScript, u = s && s.getAttribute("data-endpoint");
  if (!u || !navigator.sendBeacon) return;
  function send() {
    var b = JSON.stringify({ p: location.pathname, r: document.referrer });
    navigator.sendBeacon(u, new Blob([b], { type: "text/plain" }));
  }
  if (document.visibilityState === "prerender") {
    document.addEventListener("visibilitychange", function once() {
      document.removeEventListener("visibilitychange", once);
      send();
    });
  } else {
    send();
  }
})();
