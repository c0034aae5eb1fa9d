/* The records officer's upload form (/admin/upload).
 *
 * "Xem trước" sends the chosen file to POST /api/documents/preview, which parses it without
 * touching the index, and shows the detected header, the catalog entry, warnings and the
 * outline, and what the file is next to the loaded documents: unchanged, or a new version of
 * one (same file name, or same type, number and issuer). "Xác nhận nạp" sends the same file
 * to POST /api/documents — with the id of the document it replaces, when the preview offered
 * that — and shows the report with a link to the document (and to the replaced version).
 *
 * The admin token goes in an Authorization header, so this script is the only way to use
 * the form. It is kept in sessionStorage (this tab, until it is closed): never in a cookie,
 * the URL or the page. Everything the server or the file says is put into the page with
 * textContent, never as HTML. No inline script (CSP), no request leaves this server. */
(function () {
  "use strict";

  var TOKEN_KEY = "tracuu.adminToken";
  var STATUS = { "new": "văn bản mới", "changed": "cập nhật văn bản đã có", "unchanged": "không thay đổi",
                 "failed": "không đọc được" };
  var FALLBACK = { 400: "Yêu cầu không hợp lệ.", 401: "Cần mã quản trị.", 403: "Không có quyền nạp văn bản.",
                   409: "Kho văn bản đã có văn bản này hoặc tệp cùng tên với nội dung khác.", 413: "Tệp quá lớn.",
                   422: "Không đọc được tệp." };

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function setField(root, name, value) {
    var node = root.querySelector('[data-field="' + name + '"]');
    if (node) node.textContent = (value === undefined || value === null || value === "") ? "—" : String(value);
  }

  // A message for staff, without the name of a program's exception ("… (BadZipFile)").
  function plainMessage(text) {
    return String(text || "").replace(/\s*\((?:[A-Z][a-z]+){2,}\)/g, "").replace(/\s*\([A-Za-z]*(?:Error|Exception)\)/g, "");
  }

  function viDate(iso) {  // "2099-01-01" → "01/01/2099", "2024-04" → "04/2024"
    return iso ? String(iso).split("-").reverse().join("/") : "";
  }

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }  // blocked storage: type it each time
  }

  function UploadForm() {
    this.form = $("upload-form");
    this.token = $("admin-token");
    this.file = $("upload-file");
    this.previewButton = $("preview-button");
    this.confirmButton = $("confirm-button");
    this.status = $("upload-status");
    this.error = $("upload-error");
    this.preview = $("preview");
    this.report = $("report");
    this.chosen = null;  // the File that was previewed; confirm sends exactly this one
    this.replace = null;  // the id of the document the previewed file replaces, if any
    this.busy = false;
  }

  UploadForm.prototype.start = function () {
    var self = this, store = storage();
    if (store && store.getItem(TOKEN_KEY)) this.token.value = store.getItem(TOKEN_KEY);
    this.token.addEventListener("input", function () { self.remember(); });
    $("forget-token").addEventListener("click", function () {
      if (store) store.removeItem(TOKEN_KEY);
      self.token.value = "";
      self.token.focus();
    });
    this.file.addEventListener("change", function () { self.reset(); self.showFileName(); });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); self.doPreview(); });
    this.confirmButton.addEventListener("click", function () { self.doUpload(); });
    $("cancel-button").addEventListener("click", function () {
      self.reset();
      self.file.value = "";
      self.showFileName();
      self.file.focus();
    });
    this.showFileName();  // a file kept by the browser after "back"
    this.previewButton.disabled = false;
  };

  UploadForm.prototype.showFileName = function () {
    var file = this.file.files && this.file.files[0], label = $("file-name");
    label.textContent = file ? file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)" : "Chưa chọn tệp";
    label.classList.toggle("chosen", !!file);
  };

  UploadForm.prototype.remember = function () {
    var store = storage();
    if (!store) return;
    if (this.token.value) store.setItem(TOKEN_KEY, this.token.value); else store.removeItem(TOKEN_KEY);
  };

  UploadForm.prototype.reset = function () {
    this.chosen = null;
    this.replace = null;
    this.preview.hidden = true;
    this.report.hidden = true;
    this.error.hidden = true;
    this.status.textContent = "";
  };

  UploadForm.prototype.setBusy = function (busy, message) {
    this.busy = busy;
    this.previewButton.disabled = busy;
    this.confirmButton.disabled = busy;
    this.form.setAttribute("aria-busy", busy ? "true" : "false");
    this.status.textContent = message || "";
  };

  UploadForm.prototype.showError = function (message) {
    $("upload-error-text").textContent = plainMessage(message);
    this.error.hidden = false;
    this.error.scrollIntoView({ block: "nearest" });
  };

  /* POST the file; resolves to the JSON body, rejects with a Vietnamese message. */
  UploadForm.prototype.send = function (url, file, replace) {
    var self = this, body = new FormData();
    body.append("file", file, file.name);
    if (replace) body.append("replace", replace);
    return fetch(url, { method: "POST", body: body, credentials: "omit", cache: "no-store",
                        headers: { "Authorization": "Bearer " + this.token.value.trim(), "Accept": "application/json" } })
      .catch(function () { throw new Error("Không kết nối được máy chủ; hãy kiểm tra mạng và thử lại."); })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) return data;
          if (response.status === 401 || response.status === 403) {
            var store = storage();
            if (store) store.removeItem(TOKEN_KEY);
            self.token.focus();
          }
          var detail = typeof data.detail === "string" && data.detail ? data.detail : null;
          throw new Error(detail || FALLBACK[response.status] || ("Máy chủ báo lỗi " + response.status + "."));
        });
      });
  };

  UploadForm.prototype.tokenOk = function () {
    var token = this.token.value.trim(), problem = null;
    if (!token) problem = "Hãy nhập mã quản trị.";
    else if (!/^[\x21-\x7e]+$/.test(token)) {  // a request header carries ASCII only
      problem = "Mã quản trị không đúng định dạng (chỉ gồm chữ không dấu, chữ số và ký hiệu).";
    }
    if (problem) { this.showError(problem); this.token.focus(); }
    return !problem;
  };

  UploadForm.prototype.check = function () {
    if (!this.tokenOk()) return null;
    var file = this.file.files && this.file.files[0];
    if (!file) { this.showError("Hãy chọn tệp văn bản cần nạp."); this.file.focus(); return null; }
    return file;
  };

  UploadForm.prototype.doPreview = function () {
    if (this.busy) return;
    this.reset();
    var self = this, file = this.check();
    if (!file) return;
    this.remember();
    this.setBusy(true, "Đang đọc tệp…");
    this.send("/api/documents/preview", file).then(function (data) {
      self.setBusy(false, "");
      self.chosen = file;
      self.renderPreview(data);
    }, function (err) {
      self.setBusy(false, "");
      self.showError(err.message);
    });
  };

  UploadForm.prototype.doUpload = function () {
    if (this.busy || !this.chosen) return;
    var self = this, file = this.chosen;
    this.error.hidden = true;
    if (!this.tokenOk()) return;
    this.setBusy(true, "Đang nạp và lập chỉ mục… (có thể mất một lúc)");
    this.send("/api/documents", file, this.replace).then(function (data) {
      self.setBusy(false, "");
      self.preview.hidden = true;
      self.chosen = null;
      self.renderReport(data, file.name);
    }, function (err) {
      self.setBusy(false, "");
      self.showError(err.message);
    });
  };

  UploadForm.prototype.renderPreview = function (data) {
    var p = this.preview, h = data.header || {};
    setField(p, "file", data.file);
    setField(p, "doc_type", h.doc_type);
    setField(p, "number", h.number);
    setField(p, "issuer", h.issuer);
    setField(p, "date", viDate(h.date));
    setField(p, "title", h.title);
    setField(p, "clauses", data.clauses);
    $("preview-no-header").hidden = !!(h.doc_type || h.number || h.issuer || h.date || h.title);

    var match = $("preview-catalog");
    match.replaceChildren();
    if (data.catalog) {
      var name = data.catalog.short || [data.catalog.type, data.catalog.number].filter(Boolean).join(" ") || data.doc_id;
      match.append("Khớp danh mục văn bản: ", el("strong", null, name), ".");
    } else {
      match.append(data.replaces || data.unchanged ? "Không có trong danh mục văn bản."
                   : "Văn bản mới (chưa có trong danh mục văn bản).");
    }
    this.showStanding(data);

    var warnings = $("preview-warnings"), list = warnings.querySelector("ul");
    list.replaceChildren.apply(list, (data.warnings || []).map(function (w) { return el("li", null, w); }));
    warnings.hidden = !(data.warnings && data.warnings.length);

    var outline = $("preview-outline");
    outline.replaceChildren.apply(outline, (data.outline || []).map(function (c) {
      var li = el("li", "depth-" + Math.min(Math.max(c.depth || 0, 0), 5) + " kind-" + String(c.kind).replace(/[^a-z-]/g, ""));
      if (c.path === "preamble") li.append(el("span", "outline-path", "Mở đầu"));
      else li.append(el("span", "outline-path", c.path), el("span", "outline-label", c.label));
      var words = c.heading || (c.text || "").replace(/\s+/g, " ").trim();
      if (words) li.append(el("span", c.heading ? "outline-heading" : "outline-heading muted",
                                 words.length > 160 ? words.slice(0, 160) + " …" : words));
      return li;
    }));
    p.hidden = false;
    this.confirmButton.disabled = false;
    p.scrollIntoView({ block: "start" });
  };

  /* What the file is next to the loaded documents: unchanged, or a new version of one. */
  UploadForm.prototype.showStanding = function (data) {
    var standing = $("preview-standing"), confirm = this.confirmButton;
    standing.replaceChildren();
    standing.className = "standing";
    confirm.textContent = "Xác nhận nạp";
    this.replace = null;
    if (data.unchanged) {
      standing.className = "standing notice notice-info";
      standing.append(el("strong", null, data.message || "Văn bản không thay đổi; không nạp lại."));
    } else if (data.replaces) {
      var old = data.replaces, link = el("a", null, old.name);
      link.href = old.url;
      standing.className = "standing notice";
      standing.append(el("strong", null, "Phiên bản mới của văn bản đã nạp: "), link,
                      " (tệp " + old.file + "). " + (old.same_file ? "Cùng tên tệp, nội dung khác. " :
                      "Cùng loại, số và cơ quan ban hành. ") +
                      "Khi xác nhận, văn bản đang có được thay thế; bản cũ vẫn xem được, ghi rõ đã được thay thế.");
      confirm.textContent = "Xác nhận thay thế";
      this.replace = old.doc_id;
    }
    standing.hidden = !standing.childNodes.length;
  };

  UploadForm.prototype.renderReport = function (data, fileName) {
    var r = this.report, mine = (data.files || []).filter(function (f) { return f.file === fileName; })[0] || {};
    setField(r, "documents", data.documents);
    setField(r, "clauses", data.clauses);
    setField(r, "seconds", typeof data.seconds === "number" ? data.seconds.toFixed(1).replace(".", ",") + " giây" : "");
    var nothing = !!data.unchanged || !data.built;
    r.className = "card notice " + (nothing ? "notice-info" : "notice-ok");
    $("report-title").textContent = nothing ? "Văn bản không thay đổi" : "Đã nạp văn bản";
    var summary = data.unchanged ? (data.message || "Văn bản không thay đổi; không nạp lại.")
      : data.built
      ? "Tệp " + fileName + " (" + (STATUS[mine.status] || mine.status || "") + ", " + (mine.clauses || 0) +
        " điều khoản) đã được nạp; tra cứu được ngay."
      : "Không có gì thay đổi: tệp " + fileName + " đã có trong chỉ mục với nội dung giống hệt.";
    $("report-summary").textContent = summary;
    var oldLink = $("report-old-link");
    if (data.replaced && data.replaced.url) {
      oldLink.href = data.replaced.url;
      oldLink.textContent = "Xem phiên bản cũ (" + data.replaced.name + ", được thay thế ngày " + viDate(data.replaced.date) + ")";
      oldLink.hidden = false;
    } else {
      oldLink.hidden = true;
    }
    var link = $("report-link");
    if (mine.doc_id) {
      link.href = "/documents/" + encodeURIComponent(mine.doc_id);
      link.textContent = nothing ? "Mở văn bản" : "Mở văn bản vừa nạp";
      link.hidden = false;
    } else {
      link.hidden = true;
    }
    r.hidden = false;
    r.scrollIntoView({ block: "start" });
  };

  function ready() {
    if ($("upload-form")) new UploadForm().start();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
