// The API page: reads the OpenAPI document this server ships (GET /api/openapi.json) and draws every operation,
// grouped by tag, with its parameters, request body and responses; `$ref`s are followed to the component they
// name. A filter box narrows the list; each operation has a deep link (#op-<operationId>).
(() => {
  const $ = (id) => document.getElementById(id);
  const strings = $("api-strings").dataset;
  const root = $("api-docs");
  const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children.filter((child) => child !== null && child !== undefined && child !== ""));
    return node;
  };

  let documentRoot = {};
  // "#/components/schemas/Product" → the object it names (and its name, shown beside what it resolves to).
  const resolve = (value) => {
    let name = null;
    for (let depth = 0; value?.$ref && depth < 10; depth += 1) {
      name = value.$ref.split("/").pop();
      value = value.$ref.replace(/^#\//, "").split("/").map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((node, key) => node?.[key], documentRoot);
    }
    return { value: value ?? {}, name };
  };

  // A schema as nested lists: type (and format, enum, range), each property with its own type, required ones marked.
  // A schema already open above is named, not expanded again (recursive shapes), and depth is bounded.
  function schemaView(schema, seen = new Set(), depth = 0) {
    const { value, name } = resolve(schema);
    const type = Array.isArray(value.type) ? value.type.join(" | ") : value.type;
    const summary = [];
    if (name) summary.push(el("span", { className: "api-ref", textContent: name }));
    if (type === "array") {
      summary.push(el("span", { className: "api-type", textContent: "array of" }));
    } else if (type) {
      summary.push(el("span", { className: "api-type", textContent: type + (value.format ? ` (${value.format})` : "") }));
    }
    if (value.const !== undefined) summary.push(el("span", { className: "api-enum", textContent: `= ${JSON.stringify(value.const)}` }));
    if (value.enum) summary.push(el("span", { className: "api-enum", textContent: value.enum.map((item) => JSON.stringify(item)).join(" | ") }));
    const limits = [["minimum", "≥"], ["maximum", "≤"], ["minLength", "min length"], ["maxLength", "max length"], ["maxItems", "max items"]]
      .filter(([key]) => value[key] !== undefined).map(([key, label]) => `${label} ${value[key]}`);
    if (limits.length) summary.push(el("span", { className: "api-limits", textContent: limits.join(", ") }));
    const box = el("div", { className: "api-schema" }, el("div", {}, ...summary.flatMap((part) => [part, " "])));
    if (value.description && depth > 0) box.append(el("p", { className: "hint", textContent: value.description }));
    if ((name && seen.has(name)) || depth > 6) return box;
    const inner = new Set(seen);
    if (name) inner.add(name);
    if (type === "array" && value.items) box.append(schemaView(value.items, inner, depth + 1));
    for (const key of ["oneOf", "anyOf", "allOf"]) {
      if (!value[key]) continue;
      box.append(el("div", { className: "api-type", textContent: key }),
        el("ul", {}, ...value[key].map((part) => el("li", {}, schemaView(part, inner, depth + 1)))));
    }
    const properties = Object.entries(value.properties ?? {});
    if (properties.length) {
      const required = new Set(value.required ?? []);
      box.append(el("ul", { className: "api-props" }, ...properties.map(([key, property]) => el("li", {},
        el("code", { textContent: key }), required.has(key) ? el("span", { className: "api-required", textContent: ` ${strings.required}` }) : null,
        schemaView(property, inner, depth + 1)))));
    }
    return box;
  }

  function contentView(content) {
    return el("div", {}, ...Object.entries(content ?? {}).map(([type, media]) =>
      el("div", { className: "api-media" }, el("code", { className: "api-content-type", textContent: type }), media.schema ? schemaView(media.schema) : null)));
  }

  function operationView(method, path, operation, shared) {
    const id = "op-" + (operation.operationId ?? `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, "-"));
    const article = el("article", { className: "api-op card", id });
    Object.assign(article.dataset, { method: method.toUpperCase(), path });
    const link = el("a", { className: "api-anchor", href: "#" + id, textContent: "#" });
    link.setAttribute("aria-label", `${strings.link} ${method.toUpperCase()} ${path}`);
    article.append(el("h3", {}, el("span", { className: `api-method ${method}`, textContent: method.toUpperCase() }), " ",
      el("code", { className: "api-path", textContent: path }), " ", link));
    if (operation.summary) article.append(el("p", { className: "api-summary", textContent: operation.summary }));
    if (operation.description) article.append(el("p", { className: "hint", textContent: operation.description }));
    const parameters = [...shared, ...(operation.parameters ?? [])].map((parameter) => resolve(parameter).value);
    if (parameters.length) {
      article.append(el("h4", { textContent: strings.parameters }), el("div", { className: "scroll" }, el("table", { className: "api-params" },
        el("tbody", {}, ...parameters.map((parameter) => el("tr", {},
          el("td", {}, el("code", { textContent: parameter.name }), parameter.required ? el("span", { className: "api-required", textContent: ` ${strings.required}` }) : null),
          el("td", { textContent: parameter.in }),
          el("td", {}, parameter.schema ? schemaView(parameter.schema) : ""),
          el("td", { textContent: parameter.description ?? "" })))))));
    }
    if (operation.requestBody) {
      const body = resolve(operation.requestBody).value;
      article.append(el("h4", {}, strings.body, body.required ? el("span", { className: "api-required", textContent: ` ${strings.required}` }) : null));
      if (body.description) article.append(el("p", { className: "hint", textContent: body.description }));
      article.append(contentView(body.content));
    }
    article.append(el("h4", { textContent: strings.responses }), el("dl", { className: "api-responses" },
      ...Object.entries(operation.responses ?? {}).flatMap(([status, answer]) => {
        const { value } = resolve(answer);
        return [el("dt", { textContent: status, className: `api-status s${status[0]}` }),
          el("dd", {}, el("span", { textContent: value.description ?? "" }), value.content ? contentView(value.content) : null)];
      })));
    article.dataset.search = [method, path, operation.summary, operation.operationId, ...(operation.tags ?? [])].join(" ").toLowerCase();
    return article;
  }

  function draw(spec) {
    documentRoot = spec;
    $("api-version").textContent = spec.info?.version ?? "";
    const groups = new Map((spec.tags ?? []).map((tag) => [tag.name, { tag, operations: [] }]));
    for (const [path, item] of Object.entries(spec.paths ?? {})) {
      for (const method of methods) {
        const operation = item[method];
        if (!operation) continue;
        const name = operation.tags?.[0] ?? strings.other;
        if (!groups.has(name)) groups.set(name, { tag: { name }, operations: [] });
        groups.get(name).operations.push(operationView(method, path, operation, item.parameters ?? []));
      }
    }
    const sections = [];
    for (const { tag, operations } of groups.values()) {
      if (!operations.length) continue;
      const id = "tag-" + tag.name.replace(/[^A-Za-z0-9]+/g, "-");
      sections.push(el("section", { className: "api-tag", id }, el("h2", { textContent: tag.name }),
        tag.description ? el("p", { className: "hint", textContent: tag.description }) : null, ...operations));
      $("api-toc").append(el("a", { href: "#" + id, textContent: `${tag.name} (${operations.length})` }));
    }
    root.replaceChildren(...sections, el("p", { id: "api-none", textContent: strings.none, hidden: true }));
    filter();
    // A deep link opened before the page was drawn: follow it again now that its operation exists (a fragment
    // navigation to the same address, so it scrolls there and :target marks it, with no new history entry).
    if (location.hash) location.replace(location.href);
    document.body.dataset.apiDocs = "ready";
  }

  function filter() {
    const words = $("api-filter").value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const section of root.querySelectorAll(".api-tag")) {
      let inSection = 0;
      for (const article of section.querySelectorAll(".api-op")) {
        const match = words.every((word) => article.dataset.search.includes(word));
        article.hidden = !match;
        if (match) inSection += 1;
      }
      section.hidden = inSection === 0;
      shown += inSection;
    }
    $("api-none").hidden = shown > 0;
    $("api-count").textContent = strings.count.replace("{count}", shown);
  }
  $("api-filter").addEventListener("input", filter);

  fetch(root.dataset.src, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((response) => { if (!response.ok) throw new Error(`HTTP ${response.status}`); return response.json(); })
    .then(draw)
    .catch((error) => root.replaceChildren(el("p", { className: "error", role: "alert", textContent: `${strings.failed} (${error.message})` })));
})();
