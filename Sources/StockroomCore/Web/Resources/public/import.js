// CSV import: upload for a preview (what each column will fill, the first rows, the rows with errors), adjust the
// mapping, then confirm. The server parses and checks; this page only shows what it answered.
(() => {
  const $ = (id) => document.getElementById(id);
  const { api } = window.stockroom;
  const strings = $("import-strings").dataset;
  let upload = null;

  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
  const cell = (text, numeric) => Object.assign(document.createElement("td"), { textContent: text ?? "", className: numeric ? "num" : "" });

  function show(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  $("upload").addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = $("file").files[0];
    if (!file) return;
    show($("upload-error"), "");
    $("upload-progress").hidden = false;
    $("preview-button").disabled = true;
    try {
      const store = $("store")?.value;
      // The file's bytes as they are: the server tells UTF-8, UTF-16 and Windows-1252 apart (reading it as text
      // here would turn a Windows-1252 "Jamón" into "Jam\uFFFDn" before the server ever saw it).
      upload = await api("POST", `/api/import/products${store ? `?store_id=${store}` : ""}`, file, "text/csv");
      render(upload);
    } catch (error) {
      show($("upload-error"), error.message);
    } finally {
      $("upload-progress").hidden = true;
      $("preview-button").disabled = false;
    }
  });

  // The chosen mapping: header → field ("" ignores the column).
  const chosenMapping = () => {
    const mapping = {};
    $("mapping").querySelectorAll("select").forEach((select) => { mapping[select.dataset.header] = select.value; });
    return mapping;
  };

  // A changed mapping is previewed again from the stored upload: one preview at a time (the server reads one file
  // of a company at once), the newest mapping last, and Confirm waits for it.
  let previewing = null;
  let again = false;
  $("mapping").addEventListener("change", () => {
    if (!upload) return;
    if (previewing) {
      again = true;
      return;
    }
    previewing = (async () => {
      do {
        again = false;
        $("confirm").disabled = true;
        show($("confirm-error"), "");
        try {
          upload = await api("POST", `/api/import/products/${upload.id}/preview`, { mapping: chosenMapping() });
          render(upload, false);
        } catch (error) {
          show($("confirm-error"), error.message);
          $("confirm").disabled = false;
        }
      } while (again);
      previewing = null;
    })();
  });

  function render(result, withSelects = true) {
    const missing = result.missing ?? [];
    $("summary").textContent = missing.length
      ? fill(strings.missing, { fields: missing.map((field) => strings["field" + field[0].toUpperCase() + field.slice(1)] ?? field).join(", ") })
      : fill(strings.summary, { rows: result.rows, valid: result.valid, errors: result.error_count });
    $("summary").className = missing.length ? "error" : "";
    // data-encoding-utf8bom is dataset.encodingUtf8bom: the API's names without their dashes, capitalised.
    const key = (prefix, name) => prefix + (name ?? "").replace(/[^a-z0-9]/g, "").replace(/^./, (first) => first.toUpperCase());
    $("file-format").textContent = fill(strings.read, {
      encoding: strings[key("encoding", result.encoding)] ?? result.encoding,
      separator: strings[key("separator", result.separator)] ?? result.separator,
    });
    // The file names another currency than the company's (an export from another shop): nothing is converted.
    const differs = (result.warnings ?? []).some((warning) => warning.code === "currency_differs");
    $("currency-warning").hidden = !differs;
    $("currency-warning").textContent = differs ? fill(strings.currencyDiffers, { currency: result.currency }) : "";
    const options = $("field-options").innerHTML;
    if (withSelects) $("mapping").tBodies[0].replaceChildren(...result.columns.map((column) => {
      const row = document.createElement("tr");
      const select = document.createElement("select");
      select.innerHTML = options;
      select.value = column.field ?? "";
      select.dataset.header = column.header;
      select.setAttribute("aria-label", column.header);
      const choice = document.createElement("td");
      choice.append(select);
      row.append(cell(column.header), choice);
      return row;
    }));
    $("preview").tBodies[0].replaceChildren(...result.preview.map((line) => {
      const row = document.createElement("tr");
      row.append(cell(line.barcode), cell(line.name), cell(line.price, true), cell(line.quantity, true), cell(line.category));
      return row;
    }));
    const errors = $("row-errors");
    errors.hidden = result.errors.length === 0;
    errors.querySelector("ul").replaceChildren(...result.errors.map((problem) =>
      Object.assign(document.createElement("li"), { textContent: `${strings.line} ${problem.row}: ${problem.message}` })));
    $("mapping-card").hidden = false;
    $("done").hidden = true;
    $("confirm-progress").hidden = true;
    $("confirm").disabled = missing.length > 0 || result.valid === 0;
  }

  // Rows done of the rows in the file, while the confirm runs: the server records them as it writes (all in one
  // transaction, so nothing is kept if it fails). A poll that finds nothing yet (404) just waits for the next.
  function showProgress(done, rows, percent) {
    $("import-bar").value = percent;
    $("import-bar").textContent = `${percent} %`;
    $("import-percent").textContent = fill(strings.progress, { done, rows, percent });
  }
  function followProgress(id) {
    let stopped = false;
    const poll = async () => {
      while (!stopped) {
        try {
          const progress = await api("GET", `/api/import/products/${id}/progress`);
          if (!stopped && progress.status === "importing") showProgress(progress.rows_done, progress.rows, progress.percent);
        } catch {
          // Not started yet on this node, or the network blinked: the confirm's own answer settles it.
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    poll();
    return () => { stopped = true; };
  }

  $("confirm").addEventListener("click", async () => {
    if (previewing) await previewing;
    if (!upload) return;
    const mapping = chosenMapping();
    $("confirm").disabled = true;
    $("import-bar").value = 0;
    $("import-percent").textContent = fill(strings.progress, { done: 0, rows: upload.valid, percent: 0 });
    $("confirm-progress").hidden = false;
    show($("confirm-error"), "");
    const stop = followProgress(upload.id);
    try {
      const result = await api("POST", `/api/import/products/${upload.id}/confirm`, { mapping });
      stop();
      showProgress(result.imported, result.imported, 100);
      $("mapping-card").hidden = true;
      $("done").replaceChildren(fill(strings.done, result), " ", Object.assign(document.createElement("a"), { href: "/products", textContent: "→" }));
      $("done").hidden = false;
      upload = null;
    } catch (error) {
      stop();
      $("confirm-progress").hidden = true;
      show($("confirm-error"), error.message);
      $("confirm").disabled = false;
    }
  });
})();
