// Progressive enhancement of the cookie banner: a choice is saved without a reload. The plain
// form works without this script. Vendor scripts need the page's new CSP, so a grant reloads.
(function () {
  var b = document.getElementById("consent-banner");
  if (!b) return;
  var f = b.querySelector("form");
  function send(choice) {
    var d = new FormData(f);
    d.set("choice", choice);
    return fetch(f.action, {method: "POST", body: d, credentials: "same-origin",
      headers: {Accept: "application/json"}}).then(function (r) { return r.json(); });
  }
  if (navigator.globalPrivacyControl && b.dataset.gpc === "0") send("gpc");
  f.addEventListener("submit", function (e) {
    var c = e.submitter && e.submitter.value;
    if (c === "settings" || !window.fetch) return;
    e.preventDefault();
    send(c).then(function (r) {
      if (r.granted && r.granted.length) location.reload(); else b.remove();
    }, function () {
      var i = document.createElement("input");
      i.type = "hidden"; i.name = "choice"; i.value = c; f.appendChild(i); f.submit();
    });
  });
})();
