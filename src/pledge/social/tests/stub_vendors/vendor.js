// Stand-in for a third-party vendor script (Google Analytics, DoubleClick, Facebook, LinkedIn).
// The cookie audit serves this file instead of the real one, so the browser never reaches the
// vendor, yet the page ends up holding the first-party cookies that the policy says the vendor
// sets. The crawler writes the cookie names in for the host that was asked for.
(function () {
  "use strict";
  var names = __PLEDGE_STUB_COOKIES__;
  names.forEach(function (name) {
    document.cookie = name + "=stub-vendor-value; path=/; max-age=3600; SameSite=Lax";
  });
  window.pledgeStubVendors = (window.pledgeStubVendors || []).concat([__PLEDGE_STUB_VENDOR__]);
})();
