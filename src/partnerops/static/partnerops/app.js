// PartnerOps pages' only script besides htmx, served from static so the
// Content-Security-Policy can forbid inline script. A form or button with
// data-confirm="..." asks before it is sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
  if (event.submitter && event.submitter.getAttribute("data-confirm")) {
    message = event.submitter.getAttribute("data-confirm");
  }
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
