extension Language {
    /// What the pages say for the API's error codes (`error_code_<code>`): a form's error, a button's toast and the
    /// error page show these; a code not listed here shows the API's own (English) message. `{field}` is the field's
    /// label.
    public static let errorStrings: Strings = [
        "error_code_invalid_field": ("Check “{field}”.", "Revisa «{field}»."),
        "error_code_missing_field": ("Fill in “{field}”.", "Completa «{field}»."),
        "error_code_insufficient_stock": ("Not enough stock for that.", "No hay stock suficiente para eso."),
        "error_code_product_unavailable": ("That product is not on sale in this store.", "Ese producto no está a la venta en esta tienda."),
        "error_code_product_not_found": ("No product has that barcode.", "Ningún producto tiene ese código."),
        "error_code_store_inactive": ("That store is deactivated.", "Esa tienda está desactivada."),
        "error_code_same_store": ("Choose another store to send it to.", "Elige otra tienda de destino."),
        "error_code_sale_voided": ("This sale was voided; it cannot change.", "Esta venta fue anulada; no puede cambiar."),
        "error_code_username_taken": ("That username is taken.", "Ese usuario ya existe."),
        "error_code_email_taken": ("That email is already used.", "Ese correo ya está en uso."),
        "error_code_wrong_password": ("The current password is not right.", "La contraseña actual no es correcta."),
        "error_code_not_pending": ("That registration was already reviewed.", "Ese registro ya fue revisado."),
        "error_code_conflict": (
            "Something else changed this meanwhile; reload and try again.", "Otra persona cambió esto mientras tanto; recarga e inténtalo de nuevo."
        ),
        "error_code_forbidden": ("Your role cannot do that.", "Tu rol no puede hacer eso."),
        "error_code_not_found": ("It is no longer there.", "Ya no existe."),
        "error_code_unauthorized": ("Your session ended; sign in again.", "Tu sesión terminó; vuelve a iniciar sesión."),
        "error_code_csrf_failed": (
            "This page is out of date; reload it and try again.", "Esta página está desactualizada; recárgala e inténtalo de nuevo."
        ),
        "error_code_too_many_requests": ("Too many attempts; wait a moment.", "Demasiados intentos; espera un momento."),
        "error_code_missing_columns": ("Choose the columns for the name and the price.", "Elige las columnas del nombre y del precio."),
        "error_code_invalid_rows": ("Some rows have errors; nothing was imported.", "Algunas filas tienen errores; no se importó nada."),
        "error_code_not_text": ("That file is not CSV text; save the spreadsheet as CSV.", "Ese archivo no es texto CSV; guarda la hoja como CSV."),
        "error_code_empty_file": ("The file is empty or not UTF-8 text.", "El archivo está vacío o no es texto UTF-8."),
        "error_code_payload_too_large": ("That is too large to send.", "Es demasiado grande para enviarlo."),
        "error_code_invalid_query": ("Check the filter “{field}”.", "Revisa el filtro «{field}»."),
        "error_code_duplicate_barcode": ("Another product already has that barcode.", "Otro producto ya tiene ese código."),
        "error_code_import_running": (
            "Another file of your shop is being read; try again in a moment.",
            "Se está leyendo otro archivo de tu tienda; inténtalo de nuevo en un momento."
        ),
        "error_code_too_many_columns": ("The file has more than 64 columns.", "El archivo tiene más de 64 columnas."),
        "error_code_field_too_long": ("A cell of the file is too long (over 4 KiB).", "Una celda del archivo es demasiado larga (más de 4 KiB)."),
        "error_code_line_too_long": ("A line of the file is too long (over 64 KiB).", "Una línea del archivo es demasiado larga (más de 64 KiB)."),
        "error_code_shared_product": (
            "Other stores sell this product too: only an owner changes its name, code, price or cost.",
            "Otras tiendas también venden este producto: solo un dueño cambia su nombre, código, precio o costo."
        ),
        "error_code_duplicate_category": ("A category with that name exists.", "Ya existe una categoría con ese nombre."),
        "error_code_registration_closed": ("No store takes registrations now.", "Ahora ninguna tienda acepta registros."),
        "error_code_too_many_rows": (
            "The file has too many rows for one import; split it.", "El archivo tiene demasiadas filas para una importación; divídelo."
        ),
        "error_code_cannot_change_self": ("You cannot change your own role or status.", "No puedes cambiar tu propio rol ni tu estado."),
        "error_code_cannot_deactivate_self": ("You cannot deactivate yourself.", "No puedes desactivarte a ti mismo."),
        "error_code_cannot_reset_self": ("Change your own password in the settings.", "Cambia tu propia contraseña en los ajustes."),
        "error_code_account_pending": ("This account is waiting for approval.", "Esta cuenta espera aprobación."),
        "error_code_account_disabled": ("This account is disabled.", "Esta cuenta está desactivada."),
        "error_code_too_many_tokens": ("You have too many tokens; delete one first.", "Tienes demasiados tokens; borra uno primero."),
        "error_code_idempotency_in_progress": ("That is still being done; wait a moment.", "Eso aún se está haciendo; espera un momento."),
        "error_code_internal_error": ("Something went wrong on our side; try again.", "Algo falló de nuestro lado; inténtalo de nuevo."),
        "error_code_database_unavailable": (
            "The server cannot reach its data; try again soon.", "El servidor no alcanza sus datos; inténtalo pronto."
        ),
        // Not an API code: the page's own, when the request never reached the server.
        "error_code_network": ("The server cannot be reached; check the connection.", "No se puede contactar con el servidor; revisa la conexión."),
    ]

    /// The codes above, for the page's script.
    public static let errorCodes: [String] = errorStrings.keys.map { String($0.dropFirst("error_code_".count)) }.sorted()
}
