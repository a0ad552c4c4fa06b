extension Language {
    /// The automatic notifications (`notification_<key>_title` / `_message`, see `NotificationText`). The English
    /// ones are also what the triggers store as the notification's title and message, which API clients read.
    /// `{product}`, `{store}`, `{stock}`, `{minimum}` and `{bill}` are the values the trigger kept.
    static let notificationStrings: Strings = [
        "notification_low_stock_title": ("Low stock", "Stock bajo"),
        "notification_low_stock_message": ("{product} is down to {stock} in {store} (minimum {minimum}).",
                                           "{product} bajó a {stock} en {store} (mínimo {minimum})."),
        "notification_product_created_title": ("Product created", "Producto creado"),
        "notification_product_created_message": ("{product} was created.", "Se creó {product}."),
        "notification_product_updated_title": ("Product updated", "Producto actualizado"),
        "notification_product_updated_message": ("{product} was updated.", "Se actualizó {product}."),
        "notification_product_disabled_title": ("Product disabled", "Producto desactivado"),
        "notification_product_disabled_message": ("{product} was disabled.", "Se desactivó {product}."),
        "notification_product_activated_title": ("Product activated", "Producto activado"),
        "notification_product_activated_message": ("{product} was activated.", "Se activó {product}."),
        "notification_sale_registered_title": ("Sale registered", "Venta registrada"),
        "notification_sale_registered_message": ("Sale #{bill} was recorded in {store}.", "La venta #{bill} se registró en {store}."),
        "notification_sale_updated_title": ("Sale updated", "Venta modificada"),
        "notification_sale_updated_message": ("Sale #{bill} of {store} was changed.", "La venta #{bill} de {store} se modificó."),
        // The message of a refused sale is the page's text for the error's code (`error_code_<code>`).
        "notification_sale_error_title": ("Sale error", "Error en la venta"),
    ]
}
