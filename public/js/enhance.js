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

  // Uploads show how far they are: a lesson video on a slow link can take minutes. Without JavaScript
  // the same form posts normally.
  document.querySelectorAll('form[data-upload]').forEach(function (form) {
    if (!window.XMLHttpRequest || !window.FormData) return;
    var percent = new Intl.NumberFormat(document.documentElement.lang, { style: 'percent' });
    form.addEventListener('submit', function (event) {
      var file = form.querySelector('input[type=file]');
      if (!file || !file.files || !file.files.length) return;
      event.preventDefault();
      var bar = document.createElement('progress');
      var label = document.createElement('span');
      var status = document.createElement('p');
      status.className = 'upload-status';
      status.setAttribute('role', 'status');
      bar.max = 1;
      bar.value = 0;
      label.textContent = form.getAttribute('data-uploading') || '';
      status.appendChild(label);
      status.appendChild(bar);
      form.appendChild(status);
      form.querySelectorAll('button').forEach(function (b) {
        b.disabled = true;
      });
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.addEventListener('progress', function (e) {
        if (!e.lengthComputable) return;
        bar.value = e.loaded / e.total;
        label.textContent = (form.getAttribute('data-uploading') || '') + ' ' + percent.format(bar.value);
      });
      xhr.addEventListener('load', function () {
        // Success ends in a redirect the request has followed: go there. A refusal is a page: show it.
        if (xhr.status < 400 && xhr.responseURL) return window.location.assign(xhr.responseURL);
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener('error', function () {
        label.textContent = form.getAttribute('data-upload-failed') || '';
        form.querySelectorAll('button').forEach(function (b) {
          b.disabled = false;
        });
      });
      xhr.send(new FormData(form));
    });
  });
})();
