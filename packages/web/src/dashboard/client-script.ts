/**
 * The dashboard's only script, served as `/dashboard/app.js` (plain JavaScript, no build
 * step, no dependency). Every page works without it; with it:
 *
 * - the page listens to its live view (`<body data-live>`) with an `EventSource` and swaps
 *   in the regions each `patch` event carries — without touching a region while the reader is
 *   in one of its fields or has typed something there not sent yet (the patch waits),
 *   keeping open disclosures open, keyboard focus where it was, and streaming logs streaming;
 * - an open log disclosure (`details[data-log]`) streams its action's log with `fetch`
 *   (a running action's log follows until the action ends); an interrupted stream resumes
 *   from the last byte it got (`from=`), after a pause that doubles up to 30 s;
 * - a stream the server ends on purpose (`bye`: a Lambda's time is up, the session ended)
 *   is opened again at once, naming the generation the page shows (the last patch's id), so
 *   the server sends only what changed — or everything when it no longer knows that generation;
 * - times (`<time datetime>`) are shown in the reader's time zone.
 *
 * @example
 * ```ts
 * app.get('/dashboard/app.js', (c) => c.body(CLIENT_SCRIPT, 200, { 'content-type': 'text/javascript' }));
 * ```
 */

/** The script. @example `CLIENT_SCRIPT.includes('EventSource'); // true` */
export const CLIENT_SCRIPT = String.raw`'use strict';
(function () {
  var body = document.body;
  var view = body.getAttribute('data-live');
  var indicator = document.getElementById('live-state');
  var pending = new Map();
  window.pipewrightLive = { patches: 0, state: 'connecting' };

  function setState(state, text) {
    window.pipewrightLive.state = state;
    if (!indicator) return;
    indicator.setAttribute('data-state', state);
    indicator.textContent = text;
  }

  function localTimes(root) {
    var times = root.querySelectorAll('time[datetime]');
    for (var i = 0; i < times.length; i++) {
      var t = times[i];
      if (t.hasAttribute('data-local')) continue;
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d.getTime())) continue;
      t.setAttribute('title', t.textContent);
      t.textContent = d.toLocaleString();
      t.setAttribute('data-local', '');
    }
  }

  function busy(region) {
    var active = document.activeElement;
    if (active && region.contains(active) && active.matches('input, textarea, select')) return true;
    var fields = region.querySelectorAll('input:not([type=hidden]):not([type=checkbox]), textarea');
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value !== fields[i].defaultValue) return true;
    }
    var boxes = region.querySelectorAll('input[type=checkbox]');
    for (var j = 0; j < boxes.length; j++) {
      if (boxes[j].checked !== boxes[j].defaultChecked) return true;
    }
    return false;
  }

  function swap(id, markup) {
    var region = document.getElementById(id);
    if (!region) return;
    if (busy(region)) {
      pending.set(id, markup);
      return;
    }
    pending.delete(id);
    var open = [];
    var opened = region.querySelectorAll('details[open][id]');
    for (var i = 0; i < opened.length; i++) open.push(opened[i].id);
    var closedIds = [];
    var closed = region.querySelectorAll('details[id]:not([open])');
    for (var c = 0; c < closed.length; c++) closedIds.push(closed[c].id);
    var kept = new Map();
    var keep = region.querySelectorAll('[data-keep][id]');
    for (var k = 0; k < keep.length; k++) kept.set(keep[k].id, keep[k]);
    var active = document.activeElement;
    var focusId = active && region.contains(active) && active.id ? active.id : null;
    region.innerHTML = markup;
    for (var o = 0; o < open.length; o++) {
      var d = document.getElementById(open[o]);
      if (d && region.contains(d)) d.open = true;
    }
    for (var x = 0; x < closedIds.length; x++) {
      var shut = document.getElementById(closedIds[x]);
      if (shut && region.contains(shut) && shut.hasAttribute('data-log')) shut.open = false;
    }
    kept.forEach(function (old, keptId) {
      var fresh = document.getElementById(keptId);
      if (fresh && fresh !== old && region.contains(fresh) && fresh.getAttribute('data-keep') === old.getAttribute('data-keep')) {
        fresh.replaceWith(old);
      }
    });
    if (focusId) {
      var again = document.getElementById(focusId);
      if (again) again.focus();
    }
    localTimes(region);
    logs(region);
  }

  function applyPending() {
    pending.forEach(function (markup, id) {
      swap(id, markup);
    });
  }

  function follow(details) {
    var pre = details.querySelector('pre');
    if (!pre || pre.hasAttribute('data-loading') || pre.hasAttribute('data-ended')) return;
    pre.setAttribute('data-loading', '');
    // What was read so far survives a swap of the region (the <pre> is kept) and an interruption.
    var log = pre.pipewrightLog;
    if (!log) {
      log = { offset: 0, decoder: new TextDecoder(), failures: 0 };
      pre.pipewrightLog = log;
    }
    if (log.offset === 0) pre.textContent = '';
    var url = details.getAttribute('data-log');
    if (log.offset > 0) url += (url.indexOf('?') === -1 ? '?' : '&') + 'from=' + log.offset;
    fetch(url, { credentials: 'same-origin', headers: { accept: 'text/plain' } })
      .then(function (response) {
        if (response.status >= 500) throw new Error('the server answered ' + response.status);
        if (!response.ok || !response.body) {
          return response.text().then(function () {
            pre.removeAttribute('data-loading');
            if (log.offset === 0) pre.textContent = response.status === 404 ? '(no log yet)' : '(the log could not be read: ' + response.status + ')';
          });
        }
        var reader = response.body.getReader();
        function next() {
          return reader.read().then(function (part) {
            if (part.done) {
              pre.append(log.decoder.decode());
              pre.removeAttribute('data-loading');
              pre.removeAttribute('data-interrupted');
              pre.setAttribute('data-ended', '');
              return;
            }
            log.offset += part.value.byteLength;
            log.failures = 0;
            pre.removeAttribute('data-interrupted');
            var atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
            pre.append(log.decoder.decode(part.value, { stream: true }));
            if (atEnd) pre.scrollTop = pre.scrollHeight;
            return next();
          });
        }
        return next();
      })
      .catch(function () {
        // Interrupted: resume from the last byte read, later and later while it keeps failing.
        pre.removeAttribute('data-loading');
        pre.setAttribute('data-interrupted', '');
        log.failures++;
        setTimeout(function () {
          var current = pre.closest('details[data-log]');
          if (current && current.open && pre.isConnected) follow(current);
        }, Math.min(30000, 500 * Math.pow(2, log.failures - 1)));
      });
  }

  function logs(root) {
    var all = root.querySelectorAll('details[data-log]');
    for (var i = 0; i < all.length; i++) {
      (function (details) {
        if (details.hasAttribute('data-bound')) return;
        details.setAttribute('data-bound', '');
        details.addEventListener('toggle', function () {
          if (details.open) follow(details);
        });
        if (details.open) follow(details);
      })(all[i]);
    }
  }

  document.addEventListener('focusout', function () {
    setTimeout(applyPending, 0);
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form && form.querySelector) {
      var buttons = form.querySelectorAll('button[type=submit]');
      setTimeout(function () {
        for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
      }, 0);
    }
  });

  localTimes(document);
  logs(document);

  if (view && 'EventSource' in window) {
    // The generation the page shows: the page's, then the id of each patch applied.
    var gen = body.getAttribute('data-gen') || '';
    window.pipewrightLive.reconnects = 0;
    var listen = function () {
      var url = '/dashboard/live?view=' + encodeURIComponent(view) + '&gen=' + encodeURIComponent(gen);
      var source = new EventSource(url);
      source.addEventListener('open', function () {
        setState('open', 'Live');
      });
      source.addEventListener('error', function () {
        if (source.readyState === 2) setState('closed', 'Not live: reload the page');
        else setState('connecting', 'Reconnecting…');
      });
      source.addEventListener('patch', function (event) {
        var message = JSON.parse(event.data);
        Object.keys(message.regions).forEach(function (id) {
          swap(id, message.regions[id]);
        });
        if (event.lastEventId) gen = event.lastEventId;
        window.pipewrightLive.patches++;
      });
      // The server ended the stream on purpose: open a new one now rather than after the retry delay.
      source.addEventListener('bye', function () {
        source.close();
        window.pipewrightLive.reconnects++;
        setState('connecting', 'Reconnecting…');
        listen();
      });
    };
    listen();
  } else if (indicator) {
    setState('closed', 'Not live');
  }
})();
`;
