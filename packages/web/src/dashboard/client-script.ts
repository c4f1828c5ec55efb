/**
 * The dashboard's only script, served as `/dashboard/app.js` (plain JavaScript, no build
 * step, no dependency). Every page works without it; with it:
 *
 * - the page listens to its live view (`<body data-live>`) with an `EventSource` and swaps
 *   in the regions each `patch` event carries — without touching a region while the reader is
 *   in one of its fields or has typed something there not sent yet (the patch waits),
 *   keeping open disclosures open, keyboard focus where it was, and streaming logs streaming;
 * - an open log disclosure (`details[data-log]`) streams its action's log with `fetch`
 *   (a running action's log follows until the action ends);
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
    if (!pre || pre.hasAttribute('data-loading')) return;
    pre.setAttribute('data-loading', '');
    pre.textContent = '';
    var decoder = new TextDecoder();
    fetch(details.getAttribute('data-log'), { credentials: 'same-origin', headers: { accept: 'text/plain' } })
      .then(function (response) {
        if (!response.ok || !response.body) {
          return response.text().then(function () {
            pre.textContent = response.status === 404 ? '(no log yet)' : '(the log could not be read: ' + response.status + ')';
          });
        }
        var reader = response.body.getReader();
        function next() {
          return reader.read().then(function (part) {
            if (part.done) {
              pre.setAttribute('data-ended', '');
              return;
            }
            var atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
            pre.append(decoder.decode(part.value, { stream: true }));
            if (atEnd) pre.scrollTop = pre.scrollHeight;
            return next();
          });
        }
        return next();
      })
      .catch(function () {
        pre.append('\n(the log stream was interrupted)');
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
    var url = '/dashboard/live?view=' + encodeURIComponent(view) + '&gen=' + encodeURIComponent(body.getAttribute('data-gen') || '');
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
      window.pipewrightLive.patches++;
    });
  } else if (indicator) {
    setState('closed', 'Not live');
  }
})();
`;
