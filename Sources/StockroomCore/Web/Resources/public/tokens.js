// API tokens on the settings page: made through POST /api/tokens and shown this once (the server keeps only a
// digest), listed, and revoked through DELETE /api/tokens/{id}, which takes effect at the next request.
(() => {
  const $ = (id) => document.getElementById(id);
  const { api } = window.stockroom;
  const strings = $("token-strings").dataset;
  const rows = $("tokens").tBodies[0];

  const when = (iso) => {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: "medium", timeStyle: "short", timeZone: window.stockroom.timeZone }).format(new Date(iso));
    } catch {
      return iso;
    }
  };
  const cell = (content, className = "") => {
    const td = Object.assign(document.createElement("td"), { className });
    td.append(content);
    return td;
  };

  $("token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = $("create-token");
    $("token-error").hidden = true;
    button.disabled = true;
    try {
      const made = await api("POST", "/api/tokens", { name: $("token-name").value });
      $("new-token-value").textContent = made.token;
      $("new-token").dataset.id = made.id;
      $("token-copied").hidden = true;
      $("new-token").hidden = false;
      const revoke = Object.assign(document.createElement("button"), { type: "button", className: "danger revoke-token", textContent: strings.revoke });
      Object.assign(revoke.dataset, { id: made.id, name: made.name });
      const row = document.createElement("tr");
      row.dataset.token = made.id;
      row.append(cell(made.name), cell(Object.assign(document.createElement("code"), { textContent: `${made.prefix}…` })),
        cell(when(made.created_at), "opt"), cell(strings.never, "opt"), cell(revoke));
      rows.append(row);
      $("no-tokens").hidden = true;
      $("token-name").value = "";
    } catch (error) {
      $("token-error").textContent = error.message;
      $("token-error").hidden = false;
      $("token-name").focus();
    } finally {
      button.disabled = false;
    }
  });

  // The token shown once leaves the page when it stops working or the page is left (a shared shop computer).
  function forgetShownToken() {
    $("new-token-value").textContent = "";
    $("new-token").hidden = true;
    delete $("new-token").dataset.id;
  }
  addEventListener("pagehide", forgetShownToken);
  // A password change revokes every API token of the person (SettingsController): the list empties with it.
  $("password-form")?.addEventListener("stockroom:saved", () => {
    forgetShownToken();
    rows.replaceChildren();
    $("no-tokens").hidden = false;
  });

  $("copy-token").addEventListener("click", async () => {
    const text = $("new-token-value").textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without the clipboard API (a page not served over https): select the token for Ctrl+C.
      getSelection().selectAllChildren($("new-token-value"));
    }
    $("token-copied").hidden = false;
  });

  rows.addEventListener("click", async (event) => {
    const button = event.target.closest(".revoke-token");
    if (!button || !window.confirm(strings.confirm.replace("{name}", button.dataset.name))) return;
    button.disabled = true;
    try {
      await api("DELETE", `/api/tokens/${button.dataset.id}`);
      button.closest("tr").remove();
      if ($("new-token").dataset.id === button.dataset.id) forgetShownToken();
      $("no-tokens").hidden = rows.rows.length > 0;
      $("token-revoked").hidden = false;
    } catch (error) {
      window.stockroom.toast(error.message, "error");
      button.disabled = false;
    }
  });
})();
