// Small enhancements for browsers with JavaScript; every page works without them.
(function () {
  'use strict';

  // "Show password" buttons: typing a long password on a phone is easier when you can see it.
  document.querySelectorAll('button[data-reveal]').forEach(function (button) {
    var input = document.getElementById(button.getAttribute('data-reveal'));
    if (!input) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.setAttribute('aria-pressed', String(show));
      button.textContent = button.getAttribute(show ? 'data-hide' : 'data-show');
    });
    // Sent as a password field, so a password manager still recognises it.
    if (input.form)
      input.form.addEventListener('submit', function () {
        input.type = 'password';
      });
  });

  // "Copy link" buttons next to a one-time link.
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    var status = document.getElementById(button.getAttribute('data-status'));
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          if (status) status.textContent = button.getAttribute('data-copied');
        },
        function () {
          field.focus();
          field.select();
        },
      );
    });
  });
})();
