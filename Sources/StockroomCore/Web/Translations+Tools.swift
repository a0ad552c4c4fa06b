extension Language {
    /// The owner's tools: API tokens on the settings page, the API page, the import's progress, the label sheet.
    static let toolStrings: Strings = [
        // API tokens
        "api_tokens": ("API tokens", "Tokens de la API"),
        "api_tokens_hint": (
            "A token lets a script use the API as you, with your role's permissions: send it as “Authorization: Bearer <token>”.",
            "Un token permite a un script usar la API en tu nombre, con los permisos de tu rol: envíalo como «Authorization: Bearer <token>»."
        ),
        "token_name": ("Token name", "Nombre del token"),
        "token_name_hint": ("Nightly export, accounting…", "Exportación nocturna, contabilidad…"),
        "create_token": ("Create token", "Crear token"),
        "token_shown_once": ("Copy this token now: you will not see it again.", "Copia este token ahora: no volverás a verlo."),
        "copy": ("Copy", "Copiar"),
        "copied": ("Copied", "Copiado"),
        "token_starts": ("Starts with", "Empieza por"),
        "created": ("Created", "Creado"),
        "last_used": ("Last used", "Último uso"),
        "never": ("Never", "Nunca"),
        "revoke": ("Revoke", "Revocar"),
        "no_tokens": ("You have no API tokens.", "No tienes tokens de la API."),
        "token_revoked": ("Token revoked: it no longer works.", "Token revocado: ya no funciona."),
        "confirm_revoke_token": (
            "Revoke the token “{name}”? Scripts using it stop working at once.",
            "¿Revocar el token «{name}»? Los scripts que lo usan dejan de funcionar de inmediato."
        ),
        // The API page
        "api_docs": ("API documentation", "Documentación de la API"),
        "api_docs_hint": (
            "Every operation of Stockroom's JSON API, read from its OpenAPI document.",
            "Todas las operaciones de la API JSON de Stockroom, leídas de su documento OpenAPI."
        ),
        "openapi_document": ("OpenAPI document", "Documento OpenAPI"),
        "api_filter_hint": ("Path, method, summary or tag", "Ruta, método, resumen o etiqueta"),
        "api_docs_noscript": (
            "This page needs JavaScript; the document itself is at /api/openapi.json.",
            "Esta página necesita JavaScript; el documento está en /api/openapi.json."
        ),
        "api_tags": ("API sections", "Secciones de la API"),
        "api_parameters": ("Parameters", "Parámetros"),
        "api_request_body": ("Request body", "Cuerpo de la petición"),
        "api_responses": ("Responses", "Respuestas"),
        "api_required": ("required", "obligatorio"),
        "api_no_match": ("No operation matches the filter.", "Ninguna operación coincide con el filtro."),
        "api_count": ("{count} operations", "{count} operaciones"),
        "api_load_failed": ("The API document could not be loaded", "No se pudo cargar el documento de la API"),
        "api_link": ("Link to", "Enlace a"),
        "api_other": ("Other", "Otras"),
        // Import progress
        "import_progress": ("{done} of {rows} rows ({percent} %)", "{done} de {rows} filas ({percent} %)"),
        // Label sheet
        "labels": ("Labels", "Etiquetas"),
        "labels_hint": (
            "EAN-13 codes are drawn as bars; any other code is printed as text.",
            "Los códigos EAN-13 se dibujan como barras; cualquier otro código se imprime como texto."
        ),
        "paper": ("Paper", "Papel"),
        "paper_a4": ("A4 (3 × 8)", "A4 (3 × 8)"),
        "paper_letter": ("Letter (3 × 10)", "Carta (3 × 10)"),
        "apply": ("Apply", "Aplicar"),
        "print_labels": ("Print labels", "Imprimir etiquetas"),
        "print_labels_hint": ("for the products ticked below", "de los productos marcados abajo"),
        "label_for": ("Label for", "Etiqueta de"),
        "error_code_no_products_chosen": (
            "Tick at least one product on the products page, then Print labels.",
            "Marca al menos un producto en la página de productos y luego Imprimir etiquetas."
        ),
    ]
}
