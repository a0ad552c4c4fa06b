extension Language {
    /// The page look (the colour switch), and the words for what the system itself writes into records — ledger
    /// reasons, audit values, the void notification — so a Spanish page shows none of it in English.
    static let pageStrings: Strings = [
        "theme_auto": ("Colours: automatic", "Colores: automático"),
        "theme_light": ("Colours: light", "Colores: claros"),
        "theme_dark": ("Colours: dark", "Colores: oscuros"),
        "theme_switch_hint": (
            "Switch to the next colour scheme (automatic follows this device)",
            "Cambiar a los colores siguientes (automático sigue a este dispositivo)"
        ),
        "password_changed": (
            "Password changed. Your other sessions were signed out and your API tokens revoked.",
            "Contraseña cambiada. Se cerraron tus otras sesiones y se revocaron tus tokens de la API."
        ),
        "reason_new_product": ("New product", "Producto nuevo"),
        "reason_import": ("Import", "Importación"),
        "reason_product_edit": ("Product edit", "Edición del producto"),
        "reason_to_store": ("To {store}", "A {store}"),
        "reason_from_store": ("From {store}", "Desde {store}"),
        "audit_value_completed": ("completed", "completada"),
        "audit_value_voided": ("voided", "anulada"),
        "audit_value_active": ("active", "activo"),
        "audit_value_disabled": ("disabled", "desactivado"),
        "audit_value_pending": ("pending", "pendiente"),
        "audit_value_rejected": ("rejected", "rechazado"),
        "audit_value_true": ("yes", "sí"),
        "audit_value_false": ("no", "no"),
        "entity_sale": ("Sale", "Venta"),
        "entity_product": ("Product", "Producto"),
        "entity_user": ("User", "Usuario"),
        "entity_store": ("Store", "Tienda"),
        "entity_company": ("Company", "Empresa"),
        "entity_category": ("Category", "Categoría"),
    ]
}
