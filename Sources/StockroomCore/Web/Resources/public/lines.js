// The lines of a purchase order or a transfer being written (the line-editor partial). A product is found by its code
// or its name in the store the form names (its stock shows beside it): a code that is a product's own barcode adds
// it at once (a scanner's code and Enter too: the field is emptied at once, so codes never run together), a name
// offers a choice. Each product is one line: adding it again adds one to its quantity. The form itself posts the
// lines as the API reads them (`lines[0].product_id`); this script only keeps them.
(() => {
  const { api, showError } = window.stockroom;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

  for (const editor of document.querySelectorAll("[data-line-editor]")) {
    const form = editor.closest("form");
    const strings = editor.querySelector("#line-strings").dataset;
    const search = editor.querySelector("#line-search");
    const status = editor.querySelector("#line-search-status");
    const results = editor.querySelector("#line-results");
    const rows = editor.querySelector("#lines tbody");
    const blank = editor.querySelector("#line-row").content.firstElementChild;
    let next = rows.rows.length; // the index the next line's fields are named with
    const known = new Map(); // store + code → product, for codes this page has seen

    const store = () => form.querySelector("[data-line-store]")?.value || editor.dataset.store;
    const showEmpty = () => { editor.querySelector("#no-lines").hidden = rows.rows.length > 0; };

    function add(product) {
      results.replaceChildren();
      status.textContent = "";
      const row = rows.querySelector(`tr[data-product="${product.id}"]`);
      if (row) {
        const quantity = row.querySelector("input.qty");
        quantity.value = (Number(quantity.value) || 0) + 1;
        return;
      }
      const line = blank.cloneNode(true);
      line.dataset.product = product.id;
      for (const field of line.querySelectorAll("[name]")) field.name = field.name.replace("[]", `[${next}]`);
      next += 1;
      line.querySelector(".line-name").textContent = product.name;
      line.querySelector(".barcode").textContent = product.barcode;
      line.querySelector("input[type=hidden]").value = product.id;
      const cost = line.querySelector("input.cost");
      if (cost) cost.value = Number(product.cost ?? 0).toFixed(2);
      const remove = line.querySelector(".remove-line");
      remove.setAttribute("aria-label", `${remove.title} ${product.name}`);
      rows.append(line);
      showEmpty();
    }

    async function find(text) {
      const code = text.trim();
      if (!code) return;
      const key = `${store()}|${code}`;
      let products = known.has(key) ? [known.get(key)] : null;
      if (!products) {
        try {
          const query = new URLSearchParams({ search: code, limit: "10", store_id: store() ?? "" });
          products = (await api("GET", `/api/products?${query}`)).data;
        } catch (error) {
          status.textContent = `${code}: ${error.message}`;
          return;
        }
      }
      // the code as typed, else the same letters in another case
      const exact = products.find((product) => product.barcode === code)
        ?? products.find((product) => product.barcode.toLowerCase() === code.toLowerCase());
      if (exact) {
        known.set(key, exact);
        return add(exact);
      }
      if (!products.length) {
        status.textContent = `${strings.notFound} “${code}”`;
        return;
      }
      status.textContent = fill(strings.choose, { code });
      results.replaceChildren(...products.map((product) => {
        const button = Object.assign(document.createElement("button"), {
          type: "button", textContent: `${product.name} · ${product.barcode} · ${strings.stock} ${product.stock}`,
        });
        button.addEventListener("click", () => { add(product); search.focus(); });
        const item = document.createElement("li");
        item.append(button);
        return item;
      }));
    }

    // Enter in the search field finds (and never sends the form); the field is free for the next code at once.
    const take = () => {
      const text = search.value;
      search.value = "";
      find(text);
    };
    search.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      take();
    });
    editor.querySelector("#line-search-button").addEventListener("click", take);
    rows.addEventListener("click", (event) => {
      const remove = event.target.closest(".remove-line");
      if (!remove) return;
      remove.closest("tr").remove();
      showEmpty();
      search.focus();
    });

    // A form without lines is not sent: the API would refuse it, and the page says why in the reader's words.
    form.addEventListener("submit", (event) => {
      if (rows.rows.length) return;
      event.preventDefault();
      event.stopPropagation();
      showError(form, { message: strings.noLines });
      search.focus();
    });
    // A refusal about one product (not enough of it in the source store) names it and points at its line.
    form.addEventListener("stockroom:refused", (event) => {
      const facts = event.detail.data ?? {};
      const row = facts.product_id && rows.querySelector(`tr[data-product="${facts.product_id}"]`);
      if (!row) return;
      const quantity = row.querySelector("input.qty");
      quantity.setAttribute("aria-invalid", "true");
      quantity.focus();
      if (facts.code === "insufficient_stock") {
        const name = row.querySelector(".line-name").textContent;
        form.querySelector(".form-error").textContent = fill(strings.short, { name, requested: facts.requested, available: facts.available });
      }
    });
  }
})();
