// GOV.UK Frontend's inline body snippet as an external file (our Content-Security-Policy
// allows no inline scripts). Loaded as the first thing in <body>, synchronously, so the
// classes are set before the page is painted and JS-only styles do not flash.
// "govuk-frontend-supported" is only added where the browser supports ES modules,
// which is what GOV.UK Frontend 5 needs (see static/js/init.mjs).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
