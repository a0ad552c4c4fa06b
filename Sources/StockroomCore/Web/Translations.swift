import Foundation
import Hummingbird

/// Every string the pages show, in English and Spanish (the seeds' shops work in Spanish). The language is the
/// one chosen with the switch (a cookie), else the browser's first supported one, else English.
extension Language {
    static let cookieName = "stockroom_lang"

    /// The switch's choice on this browser, else the person's setting, else the browser's languages, else English.
    static func preferred(by request: Request, caller: Caller? = nil) -> Language {
        if let chosen = request.cookies[cookieName].flatMap({ Language(rawValue: $0.value) }) { return chosen }
        if let setting = caller?.language.flatMap(Language.init(rawValue:)) { return setting }
        let accepted = request.headers[.acceptLanguage] ?? ""
        for part in accepted.split(separator: ",") {
            let code = part.split(separator: ";").first.map { String($0.prefix(2)).lowercased().trimmingCharacters(in: .whitespaces) } ?? ""
            if let language = Language(rawValue: code) { return language }
        }
        return .en
    }

    /// The page strings, keyed as templates use them (`{{t.sign_in}}`).
    var strings: [String: String] {
        self == .en ? Self.english : Self.spanish
    }

    /// Each area's strings live beside its pages (`Translations+Catalog.swift`, …); a key defined twice is a
    /// mistake a test catches (`TranslationTests`).
    static let areas: [Strings] = [
        common, catalogStrings, stockStrings, salesStrings, metricsStrings, adminStrings, errorStrings,
        notificationStrings, tillStrings, pageStrings, toolStrings, supplyStrings, countStrings, returnStrings, valuationStrings,
    ]
    static let table: Strings = areas.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
    private static let english = table.mapValues(\.en)
    private static let spanish = table.mapValues(\.es)

    /// The API error codes the pages have words for: the domain's refusals and those the pages name themselves
    /// (`error_code_over_receipt`), handed to the script that shows a refusal in the reader's words.
    static let pageErrorCodes: [String] = table.keys.filter { $0.hasPrefix("error_code_") }.map { String($0.dropFirst("error_code_".count)) }
        .sorted()

    private static let common: Strings = [
        "app_name": ("Stockroom", "Stockroom"),
        "sign_in": ("Sign in", "Iniciar sesión"),
        "sign_out": ("Sign out", "Cerrar sesión"),
        "username": ("Username or email", "Usuario o correo"),
        "password": ("Password", "Contraseña"),
        "dashboard": ("Dashboard", "Panel"),
        "till": ("Till", "Caja"),
        "products": ("Products", "Productos"),
        "low_stock": ("Low stock", "Stock bajo"),
        "sales_today": ("Sales today", "Ventas de hoy"),
        "revenue_today": ("Revenue today", "Ingresos de hoy"),
        "inventory_value": ("Stock at cost", "Inventario a costo"),
        "expiring": ("Expiring soon", "Por vencer"),
        "nothing_here": ("Nothing to show.", "Nada que mostrar."),
        "stock": ("Stock", "Stock"),
        "minimum": ("Minimum", "Mínimo"),
        "store": ("Store", "Tienda"),
        "expires": ("Expires", "Vence"),
        "open_till": ("Open the till to sell.", "Abre la caja para vender."),
        "scan_or_search": ("Scan a barcode or search", "Escanea un código o busca"),
        "add": ("Add", "Agregar"),
        "cart": ("Sale", "Venta"),
        "quantity": ("Qty", "Cant."),
        "price": ("Price", "Precio"),
        "subtotal": ("Subtotal", "Subtotal"),
        "total": ("Total", "Total"),
        "remove": ("Remove", "Quitar"),
        "checkout": ("Charge", "Cobrar"),
        "cart_empty": ("No items yet.", "Aún no hay artículos."),
        "receipt": ("Receipt", "Ticket"),
        "print": ("Print", "Imprimir"),
        "new_sale": ("New sale", "Nueva venta"),
        "sale_number": ("Sale", "Venta"),
        "not_found": ("No product matches", "Ningún producto coincide con"),
        "language": ("Español", "English"),
        "signed_in_as": ("Signed in as", "Sesión de"),
        "bad_credentials": ("Check your username and password.", "Revisa tu usuario y contraseña."),
        "account_blocked": ("This account cannot sign in.", "Esta cuenta no puede iniciar sesión."),
        "too_many_attempts": ("Too many attempts. Try again later.", "Demasiados intentos. Inténtalo más tarde."),
        "close": ("Close", "Cerrar"),
        "skip_to_content": ("Skip to content", "Saltar al contenido"),
        "main_navigation": ("Main navigation", "Navegación principal"),
        "back_home": ("Back to the start", "Volver al inicio"),
        "error_unauthorized": ("Please sign in", "Inicia sesión"),
        "error_forbidden": ("Your role cannot open this page", "Tu rol no puede abrir esta página"),
        "error_not_found": ("Not found", "No encontrado"),
        "error_bad_request": ("Check what you sent", "Revisa lo que enviaste"),
        "error_other": ("Something went wrong", "Algo salió mal"),
        "role_owner": ("owner", "propietario"),
        "role_admin": ("admin", "administrador"),
        "role_vendor": ("vendor", "vendedor"),
        "sales": ("Sales", "Ventas"),
        "metrics": ("Metrics", "Métricas"),
        "users": ("Users", "Usuarios"),
        "stores": ("Stores", "Tiendas"),
        "audit": ("Audit log", "Auditoría"),
        "settings": ("Settings", "Ajustes"),
        "notifications": ("Notifications", "Notificaciones"),
        "mark_all_read": ("Mark all read", "Marcar todo como leído"),
        "save": ("Save", "Guardar"),
        "cancel": ("Cancel", "Cancelar"),
        "edit": ("Edit", "Editar"),
        "create": ("Create", "Crear"),
        "search": ("Search", "Buscar"),
        "filter": ("Filter", "Filtrar"),
        "name": ("Name", "Nombre"),
        "status": ("Status", "Estado"),
        "date": ("Date", "Fecha"),
        "actions": ("Actions", "Acciones"),
        "previous_page": ("Previous", "Anterior"),
        "next_page": ("Next", "Siguiente"),
        "page_of": ("Page", "Página"),
        "of": ("of", "de"),
        "saved": ("Saved.", "Guardado."),
        "are_you_sure": ("Are you sure?", "¿Seguro?"),
        "active": ("active", "activo"),
        "disabled": ("disabled", "desactivado"),
        "all": ("All", "Todos"),
        "register": ("Create an account", "Crear una cuenta"),
        "email": ("Email", "Correo"),
        "full_name": ("Full name", "Nombre completo"),
        "no_account": ("New here?", "¿Eres nuevo?"),
        "register_done": ("Thanks. An admin of the store will review your request.", "Gracias. Un administrador de la tienda revisará tu solicitud."),
    ]
}
