// Passkey ceremonies (WebAuthn). The browser API needs JavaScript, so the
// forms marked data-passkey are hidden until this file shows them; the
// pages say so without it, and the authenticator app works without it.
// The server's options arrive as JSON with binary fields in base64url; the
// browser's answer goes back, encoded the same way, as an ordinary form post.
(function () {
  "use strict";

  var forms = document.querySelectorAll("form[data-passkey]");
  if (!forms.length) {
    return;
  }
  var supported = !!(window.PublicKeyCredential && navigator.credentials);
  document.querySelectorAll("[data-passkey-nojs]").forEach(function (el) { el.hidden = true; });
  if (!supported) {
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (el) { el.hidden = false; });
    return;
  }

  function fromB64url(s) {
    var b64 = s.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) {
      b64 += "=";
    }
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out.buffer;
  }

  function toB64url(buf) {
    if (!buf) {
      return undefined;
    }
    var bytes = new Uint8Array(buf);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) {
      bin += String.fromCharCode(bytes[i]);
    }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function decodeList(list) {
    return (list || []).map(function (c) {
      var d = { type: c.type, id: fromB64url(c.id) };
      if (c.transports) {
        d.transports = c.transports;
      }
      return d;
    });
  }

  function creationOptions(opts) {
    var pk = opts.publicKey;
    pk.challenge = fromB64url(pk.challenge);
    pk.user.id = fromB64url(pk.user.id);
    pk.excludeCredentials = decodeList(pk.excludeCredentials);
    return { publicKey: pk };
  }

  function requestOptions(opts) {
    var pk = opts.publicKey;
    pk.challenge = fromB64url(pk.challenge);
    pk.allowCredentials = decodeList(pk.allowCredentials);
    return { publicKey: pk };
  }

  function encodeCredential(cred) {
    var r = cred.response;
    var out = {
      id: cred.id,
      rawId: toB64url(cred.rawId),
      type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: { clientDataJSON: toB64url(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      out.response.attestationObject = toB64url(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = toB64url(r.authenticatorData);
      out.response.signature = toB64url(r.signature);
      out.response.userHandle = toB64url(r.userHandle);
    }
    return JSON.stringify(out);
  }

  function say(form, msg) {
    var status = form.querySelector("[data-passkey-status]");
    if (status) {
      status.textContent = msg;
    }
  }

  forms.forEach(function (form) {
    form.hidden = false;
    var field = form.querySelector("input[name=credential]");
    form.addEventListener("submit", function (ev) {
      if (field.value) {
        return; // the answer is in: post it
      }
      var kind = form.getAttribute("data-passkey");
      var name = form.querySelector("input[name=passkey_name]");
      if (name && !name.value.trim()) {
        return; // the server explains that a name is needed
      }
      ev.preventDefault();
      say(form, "");
      fetch(form.getAttribute("data-options"), {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (res) {
        if (!res.ok) {
          throw new Error("options " + res.status);
        }
        return res.json();
      }).then(function (opts) {
        return kind === "register" ?
          navigator.credentials.create(creationOptions(opts)) :
          navigator.credentials.get(requestOptions(opts));
      }).then(function (cred) {
        if (!cred) {
          throw new Error("no credential");
        }
        field.value = encodeCredential(cred);
        form.submit();
      }).catch(function (err) {
        if (err && err.name === "NotAllowedError") {
          say(form, "Geannuleerd of niet toegestaan. Probeer het opnieuw.");
        } else if (err && err.name === "InvalidStateError") {
          say(form, "Deze passkey staat al bij je account.");
        } else {
          say(form, "Dat lukte niet. Probeer het opnieuw.");
        }
      });
    });
  });
})();
