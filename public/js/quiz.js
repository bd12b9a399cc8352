// Quiz autosave. Every answer is kept in this browser (IndexedDB) the moment it changes and sent to the
// server; the line under each question says honestly where the answer is. Answers kept while offline are
// sent again when the connection returns, when the page loads, and before submitting. Without
// JavaScript, the form's Save and Submit buttons do the same job.
(function () {
  'use strict';
  var form = document.querySelector('form.quiz[data-attempt]');
  if (!form || !window.fetch) return;
  var attempt = form.getAttribute('data-attempt');
  var csrf = form.getAttribute('data-csrf');
  var texts = {
    saved: form.getAttribute('data-saved'),
    queued: form.getAttribute('data-queued'),
    late: form.getAttribute('data-late'),
    signIn: form.getAttribute('data-sign-in'),
    refused: form.getAttribute('data-refused'),
  };
  var clockSkew = 0; // server time − this phone's time, corrected at every save

  // A tiny IndexedDB queue: one record per attempt and question, the newest answer only.
  var dbReady = new Promise(function (resolve) {
    if (!window.indexedDB) return resolve(null);
    var open = indexedDB.open('sabaq-answers', 1);
    open.onupgradeneeded = function () {
      open.result.createObjectStore('answers');
    };
    open.onsuccess = function () {
      resolve(open.result);
    };
    open.onerror = function () {
      resolve(null);
    };
  });
  function store(mode, fn) {
    return dbReady.then(function (db) {
      if (!db) return null;
      return new Promise(function (resolve) {
        var tx = db.transaction('answers', mode);
        var req = fn(tx.objectStore('answers'));
        tx.oncomplete = function () {
          resolve(req && req.result);
        };
        tx.onerror = function () {
          resolve(null);
        };
      });
    });
  }

  function valueOf(fieldset) {
    var radios = fieldset.querySelectorAll('input[type=radio]');
    if (radios.length) {
      var checked = fieldset.querySelector('input[type=radio]:checked');
      return checked ? checked.value : undefined;
    }
    var boxes = fieldset.querySelectorAll('input[type=checkbox]');
    if (boxes.length)
      return Array.prototype.filter
        .call(boxes, function (b) {
          return b.checked;
        })
        .map(function (b) {
          return b.value;
        });
    var selects = fieldset.querySelectorAll('select');
    if (selects.length) {
      var chosen = {};
      selects.forEach(function (s) {
        var m = /\[([^\]]+)\]$/.exec(s.name);
        if (m && s.value) chosen[m[1]] = s.value;
      });
      return chosen;
    }
    var input = fieldset.querySelector('input[type=text]');
    return input ? input.value : undefined;
  }

  function say(questionId, text) {
    var el = form.querySelector('[data-question="' + questionId + '"] .save-status');
    if (el) el.textContent = text;
  }

  function send(questionId, value, seq) {
    return fetch('/attempts/' + attempt + '/answers', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ questionId: questionId, value: value, seq: seq }),
    }).then(function (res) {
      return res
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          if (body && body.serverTime) clockSkew = body.serverTime - Date.now();
          // Sent to the sign-in page, or refused as no longer signed in (or with a stale token): the answer
          // stays kept here, unsent, and goes out from the attempt page once the member is signed in again.
          // (A page instead of the save's answer, with no outcome, is the sign-in page too.)
          if (
            res.redirected ||
            res.status === 401 ||
            res.status === 403 ||
            (res.ok && !(body && body.outcome))
          ) {
            say(questionId, texts.signIn);
            throw Object.assign(new Error('signed out'), { said: true });
          }
          if (res.ok || res.status === 409) {
            say(questionId, res.ok ? texts.saved : texts.late);
            // Kept, marked as sent: a reload from the offline copy of the page shows it again.
            return markSent(questionId, seq);
          }
          // Refused for good (an answer this question cannot take): sending it again would be refused again,
          // so it is not retried; the member sees why and can change it.
          if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
            say(questionId, texts.refused + ' ' + ((body && body.error && body.error.message) || ''));
            return markSent(questionId, seq);
          }
          throw new Error('save failed');
        });
    });
  }

  /** After a failed send: kept on this phone, unless the send already said something truer. */
  function queued(questionId) {
    return function (err) {
      if (!err || !err.said) say(questionId, texts.queued);
    };
  }

  function markSent(questionId, seq) {
    return store('readwrite', function (s) {
      var key = attempt + '|' + questionId;
      var req = s.get(key);
      req.onsuccess = function () {
        // Only if no newer answer was kept meanwhile.
        if (req.result && req.result.seq === seq) s.put(Object.assign({}, req.result, { sent: true }), key);
      };
      return req;
    });
  }

  function save(questionId, value) {
    var seq = Date.now();
    var record = { attempt: attempt, questionId: questionId, value: value, seq: seq, sent: false };
    return store('readwrite', function (s) {
      return s.put(record, attempt + '|' + questionId);
    }).then(function () {
      return send(questionId, value, seq).catch(queued(questionId));
    });
  }

  var restored = false;
  function replay() {
    var first = !restored;
    restored = true;
    return store('readonly', function (s) {
      return s.getAll();
    }).then(function (all) {
      var mine = (all || []).filter(function (r) {
        return r && r.attempt === attempt;
      });
      return Promise.all(
        mine.map(function (r) {
          // Put the kept answer back on the page first: it may be newer than the page's own copy.
          if (first) restore(r.questionId, r.value);
          if (r.sent) return null;
          return send(r.questionId, r.value, r.seq).catch(queued(r.questionId));
        }),
      );
    });
  }

  function restore(questionId, value) {
    var fs = form.querySelector('[data-question="' + questionId + '"]');
    if (!fs) return;
    fs.querySelectorAll('input[type=radio]').forEach(function (r) {
      r.checked = r.value === value;
    });
    fs.querySelectorAll('input[type=checkbox]').forEach(function (b) {
      b.checked = Array.isArray(value) && value.indexOf(b.value) >= 0;
    });
    fs.querySelectorAll('select').forEach(function (s) {
      var m = /\[([^\]]+)\]$/.exec(s.name);
      if (m && value && typeof value === 'object') s.value = value[m[1]] || '';
    });
    var input = fs.querySelector('input[type=text]');
    if (input && typeof value === 'string') input.value = value;
  }

  form.querySelectorAll('fieldset[data-question]').forEach(function (fs) {
    var id = fs.getAttribute('data-question');
    var timer;
    fs.addEventListener('change', function () {
      save(id, valueOf(fs));
    });
    fs.addEventListener('input', function (e) {
      if (e.target.type !== 'text') return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        save(id, valueOf(fs));
      }, 800);
    });
  });
  window.addEventListener('online', function () {
    replay();
  });
  replay();
  // A phone may not announce its connection's return (or announce it too early): try again now and then.
  setInterval(replay, 10000);

  // The countdown follows the server's clock, corrected at every save.
  var clock = document.querySelector('[data-deadline]');
  if (clock) {
    var deadline = Number(clock.getAttribute('data-deadline'));
    clockSkew = Number(clock.getAttribute('data-now')) - Date.now();
    var fmt = new Intl.NumberFormat(document.documentElement.lang, { minimumIntegerDigits: 2 });
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - (Date.now() + clockSkew)) / 1000));
      clock.textContent =
        left > 0
          ? fmt.format(Math.floor(left / 60)) + ':' + fmt.format(left % 60)
          : clock.getAttribute('data-ended');
      if (left > 0) setTimeout(tick, 1000);
    };
    tick();
  }

  // Offline: the attempt page and what it loads are kept, so a reload without a connection still works.
  if ('serviceWorker' in navigator && window.caches) {
    navigator.serviceWorker
      .register('/sw.js')
      .then(function () {
        var assets = Array.prototype.map.call(
          document.querySelectorAll('link[rel=stylesheet], link[rel=preload], script[src]'),
          function (el) {
            return el.getAttribute('href') || el.getAttribute('src');
          },
        );
        return caches.open('sabaq-quiz-v1').then(function (c) {
          return c.addAll([location.pathname].concat(assets));
        });
      })
      .catch(function () {});
  }

  // Submitting needs the server. The phone may think it is online when it is not, so the server is
  // asked first; without an answer, nothing is sent, the answers stay here, and the member is told.
  var checked = false;
  form.addEventListener('submit', function (event) {
    if (checked) return;
    event.preventDefault();
    var submitter = event.submitter;
    var note = form.querySelector('.offline-note');
    var ask = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (ask) ask.abort();
    }, 8000);
    fetch('/healthz', { cache: 'no-store', signal: ask ? ask.signal : undefined })
      .then(function (res) {
        if (!res.ok) throw new Error('not ready');
        checked = true;
        if (note) note.hidden = true;
        if (form.requestSubmit) form.requestSubmit(submitter);
        else form.submit();
      })
      .catch(function () {
        if (note) note.hidden = false;
      })
      .then(function () {
        clearTimeout(timer);
      });
  });
})();
