extension Language {
    /// The supply side's words: suppliers, purchase orders, transfers between stores, and receiving goods.
    static let supplyStrings: Strings = [
        "suppliers": ("Suppliers", "Proveedores"),
        "supplier": ("Supplier", "Proveedor"),
        "new_supplier": ("New supplier", "Nuevo proveedor"),
        "edit_supplier": ("Edit supplier", "Editar proveedor"),
        "contact": ("Contact", "Contacto"),
        "phone": ("Phone", "Teléfono"),
        "notes": ("Notes", "Notas"),
        "inactive": ("inactive", "inactivo"),
        "active_only": ("Active", "Activos"),
        "inactive_only": ("Inactive", "Inactivos"),
        "supplier_takes_orders": ("Active: takes new orders", "Activo: acepta pedidos nuevos"),
        "error_code_duplicate_supplier": ("A supplier with that name exists.", "Ya existe un proveedor con ese nombre."),
    ]
}
