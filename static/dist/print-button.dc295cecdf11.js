// A "Print" button (the chair's pack, the "You said, we did" note): shown only where
// JavaScript runs (the browser's own Print works anyway).
// An external file, so the content security policy needs no inline script.
document.querySelectorAll("[data-heard-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
