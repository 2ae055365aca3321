/*
 * The SSH tunnels page: the overview (polled every 2 s) and the editor. Everything from the server
 * is put into the page as text (textContent, value), never as HTML. Every state change is a POST of
 * JSON with the header X-Requested-With, which the plugin requires.
 */
(function () {
    'use strict';

    var root = (typeof pluginRoot === 'string' && pluginRoot) ? pluginRoot
        : window.location.pathname.replace(/(\.html)?\/?$/, '');
    // absolute, without the user and password a URL like http://admin:…@host/ carries: a browser
    // refuses to fetch a URL resolved against one that holds credentials
    var origin = window.location.origin;
    var MASK = '\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022';
    // the texts in the reader's language, put into the page by the server from the bundle's message
    // files (keys js.*): MessageFormat patterns, {0} a value, an apostrophe written twice
    var TEXT = JSON.parse(document.getElementById('st-text').textContent || '{}');

    function t(key, arg) {
        var s = TEXT[key] || key;
        if (arg !== undefined) {
            s = s.replace(/\{0\}/g, String(arg));
        }
        return s.replace(/''/g, "'");
    }

    function $id(id) {
        return document.getElementById(id);
    }

    /** An element with text content only; attrs are set as properties or attributes, never as HTML. */
    function el(tag, attrs, children) {
        var e = document.createElement(tag);
        Object.keys(attrs || {}).forEach(function (k) {
            if (k === 'text') {
                e.textContent = attrs[k] === null || attrs[k] === undefined ? '' : String(attrs[k]);
            } else if (k === 'className') {
                e.className = attrs[k];
            } else if (k === 'onclick') {
                e.addEventListener('click', attrs[k]);
            } else {
                e.setAttribute(k, attrs[k]);
            }
        });
        (children || []).forEach(function (c) {
            e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
        });
        return e;
    }

    function post(action, body) {
        return fetch(origin + root + '/' + action, {
            method: 'POST', credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
            body: JSON.stringify(body)
        }).then(function (r) {
            return r.json().catch(function () { return { error: 'HTTP ' + r.status }; }).then(function (j) {
                j.httpStatus = r.status;
                j.ok = r.ok;
                return j;
            });
        });
    }

    function bytes(n) {
        if (n < 10000) { return n + ' B'; }
        if (n < 10000000) { return Math.floor(n / 1024) + ' KiB'; }
        return Math.floor(n / 1048576) + ' MiB';
    }

    function ago(iso) {
        if (!iso) { return ''; }
        var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
        if (s < 120) { return s + ' s'; }
        if (s < 7200) { return Math.floor(s / 60) + ' min'; }
        return s < 172800 ? Math.floor(s / 3600) + ' h' : Math.floor(s / 86400) + ' d';
    }

    function inSeconds(iso) {
        if (!iso) { return ''; }
        var s = Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000));
        return t('inSeconds', s);
    }

    function message(text, ok) {
        var m = $id('st-message');
        m.textContent = text || '';
        m.className = ok === false ? 'st-error' : (ok ? 'st-ok' : '');
    }

    // ------------------------------------------------------------------ overview

    var tunnels = [];
    var expanded = {};

    function stateBadge(state) {
        return el('span', { className: 'st-state st-state-' + state, text: state });
    }

    function renderOverview() {
        var body = document.querySelector('#st-tunnels tbody');
        var rows = [];
        tunnels.forEach(function (tn) {
            var owned = !!(tn.owner || tn.file);
            var name = el('span', { className: 'st-toggle', text: (expanded[tn.id] ? '\u25be ' : '\u25b8 ') + tn.name,
                onclick: function () { expanded[tn.id] = !expanded[tn.id]; renderOverview(); } });
            var actions = el('td', { className: 'st-actions' });
            actions.appendChild(el('button', { type: 'button', className: 'st-edit', text: owned ? t('view') : t('edit'),
                onclick: function () { openEditor(tn); } }));
            if (!owned) {
                actions.appendChild(el('button', { type: 'button', className: tn.enabled ? 'st-disable' : 'st-enable',
                    text: tn.enabled ? t('disable') : t('enable'),
                    onclick: function () { simple(tn.enabled ? 'disable' : 'enable', tn); } }));
            }
            actions.appendChild(el('button', { type: 'button', className: 'st-test', text: t('test'),
                onclick: function () { testSaved(tn); } }));
            if (!owned || tn.ownerGone) {
                actions.appendChild(el('button', { type: 'button', className: 'st-delete', text: t('del'),
                    onclick: function () { if (window.confirm(t('confirmDelete', tn.name))) { simple('delete', tn); } } }));
            }
            rows.push(el('tr', { className: 'st-tunnel', 'data-name': tn.name, 'data-state': tn.state }, [
                el('td', {}, [name]),
                el('td', { className: 'st-owner', text: tn.owner ? t('owned', tn.owner) + (tn.ownerGone ? ' ' + t('ownerGone') : '') : t('admin'),
                    title: tn.file || '' }),
                el('td', { text: tn.username ? tn.username + '@' + tn.server : tn.server }),
                el('td', { className: 'st-state-cell' }, [stateBadge(tn.state)]),
                el('td', { className: 'st-ago', 'data-since': tn.since, text: ago(tn.since), title: tn.since }),
                el('td', { className: 'st-reason', text: tn.reason }),
                el('td', { text: inSeconds(tn.nextAttempt) }),
                el('td', { className: 'st-up', text: tn.mappingsUp + '/' + tn.mappingsTotal }),
                el('td', { text: bytes(tn.bytesToTarget) }),
                el('td', { text: bytes(tn.bytesFromTarget) }),
                el('td', { text: tn.openConnections }),
                actions
            ]));
            if (expanded[tn.id]) {
                var inner = el('table', { className: 'nicetable st-mapping-status' }, [el('thead', {}, [el('tr', {}, [
                    el('th', { text: t('col.mapping') }), el('th', { text: t('col.state') }), el('th', { text: t('col.reason') }),
                    el('th', { text: t('col.boundAt') }), el('th', { text: t('col.connections') }),
                    el('th', { text: t('col.toTarget') }), el('th', { text: t('col.fromTarget') }),
                    el('th', { text: t('col.explanation') })])])]);
                var ib = el('tbody');
                tn.mappings.forEach(function (m) {
                    ib.appendChild(el('tr', { className: m.gateway ? 'st-gateway' : '' }, [
                        el('td', { text: m.entry }), el('td', {}, [stateBadge(m.state)]), el('td', { text: m.reason }),
                        el('td', { text: m.bindAddress }),
                        el('td', { text: m.connections + ' (' + m.openConnections + ', ' + m.failedConnections + ')' }),
                        el('td', { text: bytes(m.bytesToTarget) }), el('td', { text: bytes(m.bytesFromTarget) }),
                        el('td', { className: 'st-explanation', text: m.explanation })]));
                });
                inner.appendChild(ib);
                var findings = el('div');
                tn.findings.forEach(function (f) {
                    findings.appendChild(el('div', { className: 'st-sev-' + f.severity, text: f.severity + ' ' + f.code + ': ' + f.message }));
                });
                rows.push(el('tr', { className: 'st-details', 'data-name': tn.name }, [el('td', { colspan: '12' }, [inner, findings])]));
            }
        });
        body.replaceChildren.apply(body, rows);
        $id('st-count').textContent = tunnels.length === 1 ? t('tunnel1') : t('tunnels', tunnels.length);
    }

    var lastJson = null;

    /** Rebuilds the table only when something changed (a row being clicked stays put); the "since" column ages in place. */
    /**
     * Whether the operator is selecting text in the overview (a reason to copy): the table is then
     * not rebuilt, which would drop the selection; the next refresh after it does.
     */
    function selectingInOverview() {
        var sel = window.getSelection ? window.getSelection() : null;
        if (!sel || sel.isCollapsed || sel.rangeCount === 0) { return false; }
        var table = $id('st-tunnels');
        return table.contains(sel.anchorNode) || table.contains(sel.focusNode);
    }

    function poll() {
        fetch(origin + root + '.json', { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
            return r.ok ? r.text() : null;
        }).then(function (text) {
            if (text !== null && text !== lastJson && !selectingInOverview()) {
                lastJson = text;
                tunnels = JSON.parse(text).tunnels;
                renderOverview();
            } else {
                document.querySelectorAll('#st-tunnels td.st-ago').forEach(function (td) {
                    td.textContent = ago(td.getAttribute('data-since'));
                });
            }
        }).catch(function () { /* the next poll tries again */ }).then(function () {
            window.setTimeout(poll, 2000);
        });
    }

    function simple(action, tn) {
        post(action, { id: tn.id }).then(function (r) {
            message(r.ok ? r.message : r.error, r.ok);
        });
    }

    function savedCandidate(tn) {
        return { id: tn.id, name: tn.name, serverHost: tn.serverHost, serverPort: String(tn.serverPort), username: tn.username,
            password: tn.passwordSet ? MASK : null, privateKeyPath: tn.privateKeyPath,
            passphrase: tn.passphraseSet ? MASK : null, fingerprint: tn.fingerprint };
    }

    function testSaved(tn) {
        message(tn.name + ': ' + t('testing'));
        post('test', savedCandidate(tn)).then(function (r) {
            message(tn.name + ': ' + (r.ok ? (r.success ? t('tested') : r.outcome + ': ' + r.message) : r.error), r.ok && r.success);
        });
    }

    // ------------------------------------------------------------------ editor

    var editing = null;      // the tunnel being edited (its JSON), or null for a new one
    var readOnly = false;
    var validateTimer = null;
    var validateSeq = 0;
    var testTimer = null;
    var testSeq = 0;
    var lastTested = null;
    var secretsSettled = false; // whether user and secrets were left (or are the saved ones): see init()
    var templates = [];
    var FIELDS = { 'name': 'st-name', 'server.host': 'st-host', 'server.port': 'st-port', 'username': 'st-user',
        'password': 'st-password', 'private.key.path': 'st-key', 'private.key.passphrase': 'st-passphrase',
        'fingerprint': 'st-fingerprint', 'via': 'st-via' };

    function openEditor(tn) {
        editing = tn;
        dirty = false;
        readOnly = !!(tn && (tn.owner || tn.file));
        lastTested = null;
        secretsSettled = !!tn;
        $id('st-editor-title').textContent = tn ? t('editTunnel', tn.name) : t('newTunnel');
        $id('st-name').value = tn ? tn.name : '';
        $id('st-enabled').checked = tn ? tn.enabled : true;
        $id('st-host').value = tn ? (tn.serverHost || '') : '';
        $id('st-port').value = tn ? String(tn.serverPort) : '22';
        $id('st-user').value = tn ? (tn.username || '') : '';
        $id('st-password').value = tn && tn.passwordSet ? MASK : '';
        $id('st-key').value = tn ? (tn.privateKeyPath || '') : '';
        $id('st-passphrase').value = tn && tn.passphraseSet ? MASK : '';
        $id('st-fingerprint').value = tn ? (tn.fingerprint || '') : '';
        $id('st-via').value = tn ? (tn.via || '') : '';
        var body = document.querySelector('#st-mappings tbody');
        body.replaceChildren();
        (tn ? tn.mappings : []).forEach(function (m) { addRow(m); });
        if (!tn) { addRow(null); }
        $id('st-test-result').textContent = '';
        $id('st-test-result').className = '';
        $id('st-editor-error').hidden = true;
        saveRefusedForFindings = false;
        noteUntilChange = false;
        $id('st-readonly').hidden = !readOnly;
        $id('st-readonly').textContent = !readOnly ? '' : tn.owner ? t('readonly', tn.owner) : t('fromFile', tn.file);
        document.querySelectorAll('#st-editor input, #st-editor select, #st-editor .st-del, #st-add-mapping, #st-fp-reset, '
            + '#st-template-apply').forEach(function (e) { e.disabled = readOnly; });
        $id('st-save').hidden = readOnly;
        showEditor();
        clearFindings();
        updateGateways();
        if (!readOnly) {
            scheduleValidate();
        }
    }

    /** A mapping row; m is a parsed mapping ({kind, gateway, bindHost, localPort, remotePort, targetHost, label, service}) or null. */
    function addRow(m) {
        var kind = el('select', { className: 'st-kind' });
        ['L', 'LG', 'R', 'RG', 'D', 'DG'].forEach(function (k) { kind.appendChild(el('option', { value: k, text: t(k) })); });
        kind.value = m ? m.kind + (m.gateway ? 'G' : '') : 'L';
        var local = el('input', { className: 'st-local', size: '6', value: m ? m.localPort : '' });
        var remote = el('input', { className: 'st-remote', size: '6', value: m && m.remotePort ? m.remotePort : '' });
        var target = el('input', { className: 'st-target', value: m && m.targetHost ? m.targetHost : '' });
        var label = el('input', { className: 'st-label', value: m && m.label ? m.label : '' });
        var del = el('button', { type: 'button', className: 'st-del', title: t('deleteMapping'), text: '\u00d7' });
        var row = el('tr', { className: 'st-mapping' }, [
            el('td', {}, [kind]),
            el('td', {}, [local, el('div', { className: 'st-finding st-finding-local' })]),
            el('td', {}, [remote, el('div', { className: 'st-finding st-finding-remote' })]),
            el('td', {}, [target]),
            el('td', {}, [label]),
            el('td', { className: 'st-finding st-finding-row' }),
            el('td', {}, [del])]);
        if (m && m.service) { row.setAttribute('data-service', m.service); }
        if (m && m.bindHost && m.bindHost !== '*') { row.setAttribute('data-bind', m.bindHost); }
        del.addEventListener('click', function () { row.remove(); changed(); });
        // a SOCKS row (D) has no remote port and no target: its clients name them
        var dynamicKind = function () {
            var d = kind.value.charAt(0) === 'D';
            remote.hidden = d;
            target.hidden = d;
        };
        kind.addEventListener('change', dynamicKind);
        dynamicKind();
        row.addEventListener('input', changed);
        row.addEventListener('change', changed);
        document.querySelector('#st-mappings tbody').appendChild(row);
        return row;
    }

    function bracket(h) {
        return h.indexOf(':') >= 0 && h.charAt(0) !== '[' ? '[' + h + ']' : h;
    }

    /** The row as a configuration entry, e.g. "L *:1712:md.corp.local:1712 service=metadirectory # MetaDirectory". */
    function entry(row) {
        var kind = row.querySelector('.st-kind').value;
        var local = row.querySelector('.st-local').value.trim();
        var remote = row.querySelector('.st-remote').value.trim();
        var target = row.querySelector('.st-target').value.trim();
        var label = row.querySelector('.st-label').value.trim();
        var gateway = kind.length === 2;
        var bind = gateway ? (row.getAttribute('data-bind') || '*') + ':' : '';
        if (!local && !remote && !target && !label) {
            return null;
        }
        if (kind.charAt(0) === 'D') {
            var d = 'D ' + bind + local;
            if (row.getAttribute('data-service')) { d += ' service=' + row.getAttribute('data-service'); }
            return label ? d + ' # ' + label : d;
        }
        var e = kind.charAt(0) === 'L'
            ? 'L ' + bind + local + ':' + bracket(target) + ':' + remote
            : 'R ' + bind + remote + ':' + bracket(target || 'localhost') + ':' + local;
        if (row.getAttribute('data-service')) { e += ' service=' + row.getAttribute('data-service'); }
        if (label) { e += ' # ' + label; }
        return e;
    }

    /** Reads an entry as the configuration holds it into the row's parts (the server checks it; this only fills the form). */
    function parseEntry(text) {
        var dm = /^D\s+(?:(\[[^\]]*\]|[^:\s]*):)?(\d+)(?:\s+service=(\S+))?(?:\s*#\s*(.*))?$/.exec(text.trim());
        if (dm) {
            var dBind = dm[1] === undefined ? null : (dm[1] === '' ? '*' : dm[1].replace(/^\[|\]$/g, ''));
            var dLoop = dBind === null || dBind === 'localhost' || dBind === '::1' || /^127\./.test(dBind);
            return { kind: 'D', gateway: !dLoop, bindHost: dBind, localPort: dm[2], remotePort: '', targetHost: '',
                service: dm[3] || null, label: dm[4] || null };
        }
        var m = /^([LR])\s+(?:(\[[^\]]*\]|[^:\s]*):)?(\d+):(\[[^\]]*\]|[^:\s]+):(\d+)(?:\s+service=(\S+))?(?:\s*#\s*(.*))?$/.exec(text.trim());
        if (!m) { return null; }
        var bindHost = m[2] === undefined ? null : (m[2] === '' ? '*' : m[2].replace(/^\[|\]$/g, ''));
        var loop = bindHost === null || bindHost === 'localhost' || bindHost === '::1' || /^127\./.test(bindHost);
        var l = m[1] === 'L';
        return { kind: m[1], gateway: !loop, bindHost: bindHost, localPort: l ? m[3] : m[5], remotePort: l ? m[5] : m[3],
            targetHost: m[4].replace(/^\[|\]$/g, ''), service: m[6] || null, label: m[7] || null };
    }

    function rows() {
        return Array.prototype.slice.call(document.querySelectorAll('#st-mappings tbody tr.st-mapping'));
    }

    function candidate() {
        var c = {
            id: editing ? editing.id : null, version: editing ? editing.version : null,
            name: $id('st-name').value.trim(), enabled: $id('st-enabled').checked,
            serverHost: $id('st-host').value.trim(), serverPort: $id('st-port').value.trim(), username: $id('st-user').value,
            password: $id('st-password').value, privateKeyPath: $id('st-key').value.trim(),
            passphrase: $id('st-passphrase').value, fingerprint: $id('st-fingerprint').value.trim(),
            via: $id('st-via').value.trim(), mappings: [] };
        rows().forEach(function (r) {
            var e = entry(r);
            if (e !== null) { c.mappings.push(e); }
        });
        return c;
    }

    function updateGateways() {
        var any = false;
        rows().forEach(function (r) {
            var g = r.querySelector('.st-kind').value.length === 2;
            r.classList.toggle('st-gateway', g);
            any = any || g;
        });
        var hint = $id('st-gateway-hint');
        hint.hidden = !any;
        hint.textContent = any ? t('gatewayHint') : '';
    }

    /** Whether the editor holds changes not saved yet: Close asks before it drops them. */
    var dirty = false;

    /** Whether the editor's message is a note ("nothing was added") that the next change takes away. */
    var noteUntilChange = false;

    function changed() {
        if (readOnly) { return; }
        dirty = true;
        if (noteUntilChange) {
            noteUntilChange = false;
            $id('st-editor-error').hidden = true;
        }
        updateGateways();
        scheduleValidate();
        scheduleTest();
    }

    function scheduleValidate() {
        window.clearTimeout(validateTimer);
        validateTimer = window.setTimeout(validate, 400);
    }

    function clearFindings() {
        document.querySelectorAll('#st-editor .st-finding').forEach(function (d) { d.replaceChildren(); });
        document.querySelectorAll('#st-editor input').forEach(function (i) {
            i.classList.remove('st-has-ERROR', 'st-has-WARNING', 'st-has-NOTICE');
        });
    }

    function portOk(text) {
        var v = String(text).trim();
        return /^[0-9]{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535;
    }

    /** Puts each finding next to the field it concerns: a property's input, or the mapping row's port or row. */
    function showFindings(findings) {
        clearFindings();
        var rs = rows().filter(function (r) { return entry(r) !== null; });
        findings.forEach(function (f) {
            var box = null;
            var input = null;
            if (f.property === 'mappings' && f.mapping >= 0 && rs[f.mapping]) {
                var r = rs[f.mapping];
                // LOCAL_PORT_* concern an L mapping's port on this machine, REMOTE_PORT_* an R mapping's
                // port on the SSH server: the columns "Local port" and "Remote port", whatever the kind
                if (/LOCAL_PORT/.test(f.code)) {
                    box = r.querySelector('.st-finding-local');
                    input = r.querySelector('.st-local');
                } else if (/REMOTE_PORT/.test(f.code)) {
                    box = r.querySelector('.st-finding-remote');
                    input = r.querySelector('.st-remote');
                } else if (f.code === 'MAPPING_SYNTAX' && !portOk(r.querySelector('.st-local').value)) {
                    // a row that cannot be read because of a port: the message stands at that port
                    box = r.querySelector('.st-finding-local');
                    input = r.querySelector('.st-local');
                } else if (f.code === 'MAPPING_SYNTAX' && r.querySelector('.st-kind').value.charAt(0) !== 'D'
                        && !portOk(r.querySelector('.st-remote').value)) {
                    box = r.querySelector('.st-finding-remote');
                    input = r.querySelector('.st-remote');
                } else {
                    box = r.querySelector('.st-finding-row');
                }
            } else if (FIELDS[f.property]) {
                box = document.querySelector('#st-editor .st-finding[data-for="' + f.property + '"]');
                input = $id(FIELDS[f.property]);
            } else {
                box = document.querySelector('#st-editor .st-finding[data-for="' + (f.property === 'mappings' ? 'mappings' : '*') + '"]');
            }
            box.appendChild(el('div', { className: 'st-sev-' + f.severity, 'data-code': f.code, text: f.message }));
            if (input) { input.classList.add('st-has-' + f.severity); }
        });
    }

    /** Whether the editor's error is a save refused for findings, which a clean check takes away. */
    var saveRefusedForFindings = false;
    var refusedAtSeq = 0;

    function validate() {
        var seq = ++validateSeq;
        post('validate', candidate()).then(function (r) {
            if (seq !== validateSeq || !r.ok) { return; }
            showFindings(r.findings);
            // a save refused for findings ("was not saved: …", "the tunnel needs a name"): its message
            // goes once the check finds no error any more
            var err = $id('st-editor-error');
            if (saveRefusedForFindings && seq > refusedAtSeq && !r.findings.some(function (f) { return f.severity === 'ERROR'; })) {
                saveRefusedForFindings = false;
                err.hidden = true;
                err.textContent = '';
            }
            var rs = rows().filter(function (row) { return entry(row) !== null; });
            r.mappings.forEach(function (m, i) {
                if (rs[i]) { rs[i].title = m.explanation || ''; }
            });
        });
    }

    function testKey(c) {
        return JSON.stringify([c.serverHost, c.serverPort, c.username, c.password, c.privateKeyPath, c.passphrase, c.via]);
    }

    /** The background test: as soon as host, user and a credential are there, and again whenever one of them changes. */
    function scheduleTest() {
        var c = candidate();
        if (!secretsSettled || !c.serverHost || !c.username || !(c.password || c.privateKeyPath) || testKey(c) === lastTested) {
            return;
        }
        window.clearTimeout(testTimer);
        testTimer = window.setTimeout(runTest, 800);
    }

    function runTest() {
        var c = candidate();
        lastTested = testKey(c);
        var seq = ++testSeq;
        var out = $id('st-test-result');
        out.className = 'st-busy';
        out.textContent = t('testing');
        post('test', c).then(function (r) {
            if (seq !== testSeq) { return; }
            out.replaceChildren();
            if (!r.ok) {
                out.className = 'st-error';
                out.textContent = r.error;
                return;
            }
            out.setAttribute('data-outcome', r.outcome);
            if (r.success) {
                out.className = 'st-ok';
                out.appendChild(el('div', { text: t('tested') + ' (' + r.tookMillis + ' ms)' }));
                var fp = $id('st-fingerprint');
                if (r.fingerprint && !fp.value) {
                    fp.value = r.fingerprint; // shown before it is pinned: saving pins exactly this key
                    scheduleValidate();
                }
                out.appendChild(el('div', { className: r.trustOnFirstUse ? 'st-tofu' : 'st-known',
                    text: r.trustOnFirstUse ? t('tofu', r.fingerprint) : t('pinned') }));
            } else {
                out.className = 'st-error';
                out.appendChild(el('div', { text: r.outcome + ': ' + r.message }));
                if (r.outcome === 'HOST_KEY_MISMATCH' && r.fingerprint && !readOnly) {
                    offerNewKey(out, r.fingerprint);
                }
            }
        });
    }

    function save() {
        var c = candidate();
        post('save', c).then(function (r) {
            var err = $id('st-editor-error');
            if (r.ok) {
                err.hidden = true;
                dirty = false;
                hideEditor();
                message(r.message, true);
                return;
            }
            err.hidden = false;
            err.textContent = r.error;
            saveRefusedForFindings = !!(r.findings && r.findings.length);
            refusedAtSeq = validateSeq; // only a check started after the refusal may take its message away
            if (r.findings) { showFindings(r.findings); }
        });
    }

    function loadTemplates() {
        fetch(origin + root + '/templates.json', { credentials: 'same-origin' }).then(function (r) {
            return r.ok ? r.json() : { templates: [] };
        }).then(function (j) {
            templates = j.templates;
            var sel = $id('st-template');
            templates.forEach(function (tp) {
                sel.appendChild(el('option', { value: tp.id, text: tp.title + ' (' + tp.mappings.join(', ') + ')', title: tp.description }));
            });
        });
    }

    function templateChosen() {
        var id = $id('st-template').value;
        var box = $id('st-template-values');
        box.replaceChildren();
        var tp = templates.filter(function (x) { return x.id === id; })[0];
        $id('st-template-apply').hidden = !tp;
        if (!tp) { return; }
        tp.placeholders.forEach(function (p) {
            box.appendChild(el('label', { 'for': 'st-ph-' + p.name, text: ' ' + p.title + ' ' }));
            box.appendChild(el('input', { id: 'st-ph-' + p.name, className: 'st-placeholder', 'data-name': p.name,
                placeholder: p.example || '' }));
        });
    }

    function applyTemplate() {
        var values = {};
        document.querySelectorAll('#st-template-values .st-placeholder').forEach(function (i) {
            if (i.value.trim()) { values[i.getAttribute('data-name')] = i.value.trim(); }
        });
        post('template', { template: $id('st-template').value, values: values, candidate: candidate() }).then(function (r) {
            var err = $id('st-editor-error');
            if (!r.ok) {
                err.hidden = false;
                err.textContent = r.error;
                return;
            }
            var errors = (r.findings || []).filter(function (f) { return f.severity === 'ERROR'; });
            if (errors.length) {
                // e.g. a placeholder left empty: say what is missing, change nothing
                err.hidden = false;
                err.textContent = errors.map(function (f) { return f.message; }).join('; ');
                return;
            }
            if (!r.added.length) {
                err.hidden = false;
                err.textContent = t('templateNothingAdded');
                noteUntilChange = true; // a note: it goes with the operator's next change
                return;
            }
            err.hidden = true;
            rows().filter(function (row) { return entry(row) === null; }).forEach(function (row) { row.remove(); });
            r.added.forEach(function (e) {
                var m = parseEntry(e);
                if (m) { addRow(m); }
            });
            $id('st-template').value = '';
            templateChosen();
            changed();
        });
    }

    /** Forgets the shown fingerprint and tests again: what the server presents now is shown, to be accepted deliberately. */
    function resetFingerprint() {
        if (!window.confirm(t('confirmReset'))) {
            return;
        }
        $id('st-fingerprint').value = '';
        runTest();
        scheduleValidate();
    }

    function offerNewKey(out, fingerprint) {
        var accept = el('button', { type: 'button', id: 'st-accept-key', text: t('accept', fingerprint) });
        accept.addEventListener('click', function () {
            if (window.confirm(t('confirmAccept', fingerprint))) {
                $id('st-fingerprint').value = fingerprint;
                accept.remove();
                scheduleValidate();
            }
        });
        out.appendChild(accept);
    }

    /** The editor is a dialog over the overview (a modal one: the overview behind it waits). */
    function showEditor() {
        var d = $id('st-editor');
        if (!d.open) {
            if (typeof d.showModal === 'function') { d.showModal(); } else { d.setAttribute('open', ''); }
        }
        d.scrollTop = 0;
    }

    function hideEditor() {
        var d = $id('st-editor');
        if (d.open) {
            if (typeof d.close === 'function') { d.close(); } else { d.removeAttribute('open'); }
        }
        editing = null;
    }

    function closeAsked() {
        if (dirty && !window.confirm(t('confirmClose'))) { return; }
        dirty = false;
        hideEditor();
    }

    /**
     * A fingerprint pasted as ssh-keygen -lf prints it ("256 SHA256:... root@host (ED25519)", on
     * Linux or Windows), PuTTY or OpenSSH's client shows it: the SHA256 part is kept (the server reads
     * such lines the same way, see Fingerprints); the check and the connection test are held to it.
     */
    function fingerprintPasted(input) {
        var v = input.value.trim();
        var m = /(?:^|[\s(:])(SHA256:[A-Za-z0-9+\/]{43})=?(?=$|[\s).,;])/.exec(v);
        if (m && m[1] !== v) {
            input.value = m[1];
            changed();
        }
        lastTested = null; // the test runs again, held to the key given
        scheduleTest();
    }

    function init() {
        $id('st-new').addEventListener('click', function () { openEditor(null); });
        $id('st-cancel').addEventListener('click', closeAsked);
        // Escape closes the dialog as Close does: asking first when there are unsaved changes
        $id('st-editor').addEventListener('cancel', function (e) { e.preventDefault(); closeAsked(); });
        $id('st-fingerprint').addEventListener('input', changed);
        $id('st-fingerprint').addEventListener('paste', function () {
            window.setTimeout(function () { fingerprintPasted($id('st-fingerprint')); }, 0);
        });
        $id('st-fingerprint').addEventListener('change', function (e) { fingerprintPasted(e.target); });
        $id('st-save').addEventListener('click', save);
        $id('st-test-now').addEventListener('click', runTest);
        $id('st-add-mapping').addEventListener('click', function () { addRow(null); changed(); });
        $id('st-fp-reset').addEventListener('click', resetFingerprint);
        $id('st-template').addEventListener('change', templateChosen);
        $id('st-template-apply').addEventListener('click', applyTemplate);
        $id('st-password').addEventListener('focus', function (e) { if (e.target.value === MASK) { e.target.select(); } });
        $id('st-passphrase').addEventListener('focus', function (e) { if (e.target.value === MASK) { e.target.select(); } });
        ['st-name', 'st-enabled', 'st-host', 'st-port', 'st-user', 'st-password', 'st-key', 'st-passphrase', 'st-via'].forEach(function (id) {
            $id(id).addEventListener('input', changed);
            $id(id).addEventListener('change', changed);
        });
        // the user and the secrets start a login test only once the field is left: a pause while typing a
        // password must not try half of it (three wrong tries can lock a Windows account)
        ['st-user', 'st-password', 'st-passphrase'].forEach(function (id) {
            $id(id).addEventListener('change', function () { secretsSettled = true; scheduleTest(); });
            $id(id).addEventListener('input', function () { secretsSettled = false; window.clearTimeout(testTimer); });
        });
        loadTemplates();
        poll();
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    } else {
        init();
    }
}());
