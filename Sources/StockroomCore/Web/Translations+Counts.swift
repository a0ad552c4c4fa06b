extension Language {
    /// Counting a store's shelves ({name}, {count}, {code} are filled in by the page's script), and the API's
    /// refusals on counts (`error_code_<code>`).
    static let countStrings: Strings = [
        "stock_counts": ("Stock counts", "Conteos de stock"),
        "stock_count": ("Count", "Conteo"),
        "count_open": ("open", "abierto"),
        "count_posted": ("posted", "registrado"),
        "count_abandoned": ("abandoned", "descartado"),
        "open_count": ("Open a count", "Abrir un conteo"),
        "count_search": ("Products matching", "Productos que coinciden con"),
        "count_search_hint": ("Empty: every product the store carries", "Vacío: todos los productos de la tienda"),
        "count_opened": ("Opened", "Abierto"),
        "count_closed_at": ("Closed", "Cerrado"),
        "count_progress": ("Lines counted", "Líneas contadas"),
        "count_differing": ("differing:", "con diferencia:"),
        "count_shelves": ("Count the shelves", "Contar los estantes"),
        "count_scan_hint": (
            "Each scan adds one to its product. Type a number in a line to set what is on the shelf.",
            "Cada escaneo suma uno a su producto. Escribe un número en una línea para fijar lo que hay en el estante."
        ),
        "count_unknown_code": ("“{code}”: no product has that code.", "«{code}»: ningún producto tiene ese código."),
        "count_waiting": ("{count} waiting to be sent…", "{count} por enviar…"),
        "count_expected": ("Expected", "Esperado"),
        "count_counted": ("Counted", "Contado"),
        "count_difference": ("Difference", "Diferencia"),
        "count_posted_delta": ("Posted", "Registrado"),
        "count_post_hint": (
            "Posting changes each counted product's stock by its difference; lines not counted change nothing.",
            "Registrar cambia el stock de cada producto contado según su diferencia; las líneas sin contar no cambian nada."
        ),
        "post_count": ("Post the count", "Registrar el conteo"),
        "abandon_count": ("Abandon", "Descartar"),
        "confirm_post_count": (
            "Post this count? Each counted product's stock changes by its difference.",
            "¿Registrar este conteo? El stock de cada producto contado cambia según su diferencia."
        ),
        "confirm_abandon_count": ("Abandon this count? No stock changes.", "¿Descartar este conteo? El stock no cambia."),
        "error_code_count_closed": ("This count is closed: it takes no more counting.", "Este conteo está cerrado: no admite más conteo."),
        "error_code_count_open": (
            "The store already has a count open: post or abandon it first.", "La tienda ya tiene un conteo abierto: regístralo o descártalo antes."
        ),
    ]
}
