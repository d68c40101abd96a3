/**
 * The words the classifier reacts to, written the way a person spells them correctly; the
 * analyzer folds every entry with phoneticKey, so "vendi" also matches "bendí" and "VENDÍ".
 * A cue is a piece of evidence (a verb family, a noun, a question word); rules.ts turns
 * combinations of cues into intent scores. Multi-word entries are phrases: when a phrase
 * matches, its words stop counting on their own ("a como" is a price question, not "a" + "how").
 */

export const Cue = {
  // Question words.
  HowMuch: 0,
  What: 1,
  How: 2,
  Which: 3,
  Who: 4,
  Why: 5,
  Where: 6,
  When: 7,
  // Selling.
  SellPast: 8,
  SellPresent: 9,
  SellInfinitive: 10,
  SoldParticiple: 11,
  SaleNoun: 12,
  BestSeller: 13,
  CustomerBought: 14,
  Progress: 15,
  Did: 16,
  Tickets: 17,
  Cash: 18,
  Money: 19,
  Report: 20,
  HowDidItGo: 21,
  // Recording sales and changing stock.
  Record: 22,
  Add: 23,
  Remove: 24,
  SetStock: 25,
  Change: 26,
  Put: 27,
  Raise: 28,
  Lower: 29,
  Arrive: 30,
  Loss: 31,
  // Stock questions.
  Have: 32,
  Remain: 33,
  RunOut: 34,
  Lack: 35,
  Restock: 36,
  Need: 37,
  StockNoun: 38,
  Still: 39,
  // Profit.
  Profit: 40,
  TakeHome: 41,
  Leaves: 42,
  PaysOff: 43,
  More: 44,
  // Prices.
  PriceNoun: 45,
  CostVerb: 46,
  PriceAsk: 47,
  // Token balance.
  Tokens: 48,
  Package: 49,
  Tier: 50,
  Want: 51,
  // Help.
  Help: 52,
  BotAction: 53,
  // Small talk.
  Greet: 54,
  Thanks: 55,
  Bye: 56,
  Ack: 57,
  Other: 58,
  Laugh: 59,
  // Shape words: never products, never evidence on their own.
  Unit: 60,
  Filler: 61,
  Show: 62,
  // Stock changes told without the usual verbs.
  Count: 63,
  InTotal: 64,
  Return: 65,
  Consume: 66,
  /** "en realidad son 9", "está mal, son 12": a count being corrected. */
  Correction: 67,
  /** "qué significa ajustar inventario": asks what a word of the bot means. */
  Meaning: 68,
  /** "¿puedes leer fotos?", "¿se pueden registrar varias?": asks what the bot can do. */
  Capability: 69,
  /** Things the bot handles as a channel: photos, audio, PDFs, reminders. */
  BotFeature: 70,
  /** Taxes, opinions, predictions, comparisons: strong signs of a question the data cannot answer. */
  Advice: 71,
  /** "¿mi empleado también puede usar el bot?", "¿lo puedo usar desde otro celular?": who and where the bot can be used. */
  BotAccess: 72,
  /** Pests in the shop: "cómo quito las cucarachas" is a how-to about the world; "los ratones se comieron 2" a loss. */
  Pest: 73,
  /** "me costó", "el costo de": what the goods cost the shop; with a sale word, the cost of what was sold. */
  CostToMe: 74,
  /** "pagar", "oxxo", "tarjeta", "transferencia": how a payment is made (with token words, a top-up). */
  Payment: 75,
  /** "no me aparece", "no se refleja": a payment or top-up that has not shown up. */
  NotShowing: 76,
  /** "llevar", "controlar", "administrar": the bookkeeping the bot does, asked as "¿puedes ...?". */
  Manage: 77,
  /** "no sé qué escribirte", "no sé qué preguntarte": the user does not know what to ask the bot. */
  Clueless: 78,
  /**
   * "compró" (folded "compro"): someone bought. With a buyer named ("un señor compró 6 modelos",
   * "la vecina compró 2 leches") a customer's purchase, a sale; otherwise the owner's stock in.
   */
  BoughtThird: 79,
  /** "compara", "comparación": asks to compare periods, a report (not a sale told). */
  Compare: 80,
  /** "ranking", "top", "ordena": a list ordered by something (by profit it is ganancias). */
  Ranking: 81,
  /** "avisar", "avísame", "notificar": the bot alerting, asked as a feature ("¿me puede avisar cuando...?"). */
  Alert: 82,
  /** "fiado", "cuentas", "deudas": a ledger the bot may keep ("¿sirve para llevar el fiado?"). */
  Ledger: 83,
  /** "duda", "dudas": a doubt; about the bot when it comes with a help word, otherwise small talk. */
  Doubt: 84,
  /** "automático", "cada noche": a recurring job asked of the bot ("¿puedes hacer el corte automático?"). */
  Automatic: 85,
  /** "un ratero", "sin pagar", "se robó": stock taken without paying, a loss (never a sale). */
  Theft: 86,
  /** "ahora en 18", "desde hoy a 20": a new amount for a product, i.e. a price update. */
  NewPrice: 87,
  /** "caro", "barato": how expensive a product is, a price question. */
  Expensive: 88,
  /**
   * "¿eres capaz de ...?", "¿tienes la capacidad de ...?": the bot's ability asked outright, ayuda
   * even of the shop's data (not "¿me puedes decir cuánto vendí?", a request).
   */
  AbleTo: 89,
} as const;

export type Cue = (typeof Cue)[keyof typeof Cue];
export const CUE_COUNT = 90;

type LexiconEntry = readonly [cues: Cue | readonly Cue[], words: string];

/** Words separated by '|'; an entry with spaces is a phrase. */
export const LEXICON: readonly LexiconEntry[] = [
  [Cue.HowMuch, 'cuanto|cuanta|cuantos|cuantas|qto|qtos|qta|qtas|cto|ctos|cnto|qanto|qantos'],
  [Cue.HowMuch, 'que tanto|que tanta|que tantos|que tantas|cuanto es lo que'],
  [Cue.What, 'que|ques'],
  // "qué onda con la inflación", "qué onda con mis ventas": a question about the topic, not a greeting.
  [Cue.What, 'que onda con'],
  [Cue.How, 'como'],
  [Cue.Which, 'cual|cuales'],
  [Cue.Who, 'quien|quienes'],
  [Cue.Why, 'porque|por que|para que'],
  [Cue.Where, 'donde|adonde|dnd'],
  [Cue.When, 'cuando|hasta cuando'],

  [
    Cue.SellPast,
    'vendi|vendio|vendimos|vendieron|vendiste|vendia|vendiamos|vendian|cobre|cobramos|' +
      'despache|despachamos|despacharon|despacho|salieron|se fueron|salio un|salio una',
  ],
  [
    Cue.SellPast,
    'acabo de vender|acabamos de vender|he vendido|hemos vendido|ha vendido|' +
      // "acabo de despachar 2 garrafones": despachar is serving a customer, a sale.
      'acabo de despachar|acabamos de despachar|acaba de despachar|acaban de despachar|' +
      'acabo de cobrar|acabamos de cobrar|he despachado|hemos despachado|le despache|les despache|' +
      'despacho de|despachaste',
  ],
  [Cue.SellPresent, 'vendo|vende|venden|vendemos|vendes'],
  [Cue.SellInfinitive, 'vender|venderle|venderlo|venderla|vendiendo'],
  [
    Cue.SoldParticiple,
    'vendido|vendida|vendidos|vendidas|despachado|despachados|despachada|despachadas',
  ],
  [Cue.SaleNoun, 'venta|ventas'],
  [
    Cue.BestSeller,
    'mas vendido|mas vendidos|mas vendida|mas vendidas|menos vendido|menos vendidos|menos vendida|' +
      'menos vendidas|mas se vende|mas se venden|mas se vendio|mas se vendieron|se vende mas|' +
      'se venden mas|se vendio mas|se vendieron mas|mas salio|mas salieron|mas sale|mas salen|' +
      'menos se vende|menos se vendio|top de ventas|salio mas|salieron mas|sale mas|salen mas|' +
      // "el producto que menos sale": the worst sellers, like "el que más sale".
      'menos sale|menos salen|menos salio|menos salieron|sale menos|salen menos|salio menos|' +
      'salieron menos|' +
      // "lo que peor se vende", "lo que mejor sale": the worst and best sellers.
      'peor se vende|peor se venden|peor se vendio|peor se vendieron|se vende peor|se venden peor|' +
      'peor sale|peor salen|peor salio|sale peor|salen peor|peor se mueve|peor se mueven|' +
      'mejor se vende|mejor se venden|mejor se vendio|se vende mejor|se venden mejor|mejor sale|' +
      'mejor salen|mejor salio|menos se mueve|menos se mueven|mas se mueve|mas se mueven|se mueve menos|' +
      'se mueven menos|vendi mas|vendimos mas|vendi menos|vendimos menos|vendiste mas|vendo mas|vendemos mas|vendo menos|vendemos menos|se vende menos|hora del dia|horas del dia|dia de la semana vendo|que mas vendo|que mas vendemos|mas vendo|mas vendemos|menos vendo|menos vendemos',
  ],
  [[Cue.BestSeller, Cue.Ranking], 'top|ranking'],
  [
    Cue.Ranking,
    'ordena|ordename|ordenados|ordenadas|ordenalos|de mayor a menor|de menor a mayor|' +
      'clasificacion|los mejores|los peores',
  ],
  // "un señor compró 6 modelos": a customer (a sale); "compro 24 cocas al proveedor": stock in.
  [[Cue.Arrive, Cue.BoughtThird], 'compro'],
  // "cómo vamos contra febrero": two periods side by side.
  [Cue.Compare, 'contra|versus|comparado|comparada|comparados|comparadas'],
  // "ando viendo si bajaron las ventas este mes": whether sales rose or fell is asked of the data
  // (told as "bajaron las ventas, ¿qué hago?" it stays advice).
  [
    [Cue.SaleNoun, Cue.Compare],
    'si bajaron las ventas|si subieron las ventas|si bajaron mis ventas|si subieron mis ventas|' +
      'si han bajado las ventas|si han subido las ventas|si bajo la venta|si subio la venta',
  ],
  [
    Cue.Compare,
    'compara|comparame|comparalo|comparala|comparar|comparando|comparacion|comparativo|' +
      'comparativa|comparado con|haz una comparacion',
  ],
  [
    Cue.CustomerBought,
    'compraron|se llevo|se llevaron|me compro|me compraron|nos compro|nos compraron|me pagaron|' +
      'acaban de comprar|acaba de comprar|me acaban de comprar|acaban de comprarme|acaba de comprarme|vinieron y me compraron|vinieron a comprar|llevarse|se llevan|acaban de llevarse|acaba de llevarse|se acaban de llevar|me pidieron',
  ],
  [Cue.Progress, 'llevo|llevamos|llevas'],
  [Cue.Did, 'hice|hicimos|hizo|hecho'],
  [Cue.Tickets, 'ticket|tickets|tiket|tikets|promedio|promedios'],
  [
    Cue.Cash,
    'caja|corte|ingreso|ingresos|ingresaron|recaude|recaudado|recaudamos|entradas|corte de caja',
  ],
  [Cue.Money, 'dinero|lana|varo|feria|billete|billetes|efectivo'],
  [Cue.Report, 'reporte|resumen|total|totales|estadisticas|balance|informe|cifras|numeros'],
  [
    Cue.HowDidItGo,
    'como me fue|como nos fue|como vamos|como van|como voy|como va|como estuvo|como estuvieron|' +
      'que tal estuvo|que tal estuvieron|que tal van|que tal me fue|que tal vamos|que tal salio|' +
      'que tal salieron|como salio|como salieron',
  ],

  [
    Cue.Record,
    'anota|anotale|anotame|anotar|anote|anotes|apunta|apuntale|apuntame|apuntar|apunte|apuntes|' +
      'registra|registrale|registrame|registrar|registre|registres|captura|capturar|guarda|guardar|' +
      'anotala|anotalo|anotalas|anotalos|apuntala|apuntalo|apuntalas|apuntalos|registrala|' +
      'registralo|registralas|registralos',
  ],
  [
    Cue.Add,
    'agrega|agregale|agregame|agregar|agregue|agregues|suma|sumale|sumar|mete|metele|meter|meti|' +
      'metimos|carga|cargale|cargar|da de alta|dar de alta|dale de alta|dame de alta|anade|anadir|' +
      'ingresa|ingresale|ingresame|ingresar|ingresen|da entrada|dale entrada|agregalos|agregalas|' +
      'agregalo|agregala|sumalos|sumalas|sumalo|sumala|metelos|metelas|cargalos|cargalas|aumentale|' +
      // "alta de 2 cajas de fabuloso": the noun of "dar de alta".
      'alta de|altas de|dar alta|dale alta|da alta',
  ],
  [
    Cue.Remove,
    'quita|quitale|quitar|resta|restale|restar|descuenta|descontar|descuentale|elimina|eliminar|' +
      'descuentalas|descuentalos|descuentala|descuentalo|quitalos|quitalas|quitalo|quitala|restalos|restalas|restalo|restala|borra|borrar|da de baja|dar de baja|dale de baja|saca del inventario|saca|sacale|sacame',
  ],
  [
    Cue.SetStock,
    'corrigelo|corrigela|corrigelos|corrigelas|ajustalos|ajustalas|ajusta|ajustalo|ajustala|ajustar|ajuste|corrige|corregir|corrigeme|actualiza|actualizar|' +
      'actualizame|actualizalo|actualizala|actualizalos|actualizalas|cuadra|cuadrar|modifica|modificar|deja en',
  ],
  [Cue.Change, 'cambia|cambiale|cambiar|cambiarle|cambien'],
  [
    Cue.Put,
    'que quede en|quede en|que quede a|dejarlo en|dejarla en|pon|ponle|ponla|ponlo|ponme|poner|ponerle|pongale|ponga|dejala|dejalo|dejale|' +
      'ponselo|ponsela|ponselos|ponselas|pongaselo|pongasela|dejaselo|dejasela|dejaselos|dejaselas',
  ],
  [
    Cue.Raise,
    'ya subio|subio|subieron|ya bajo|bajaron de precio|bajo de precio|sube|subele|subir|subirle|subanle|aumenta|aumentale|aumentar|incrementa|encarece',
  ],
  [Cue.Lower, 'baja|bajale|bajar|bajarle|rebaja|rebajale|disminuye|abarata'],
  [
    Cue.Arrive,
    'llego|llegaron|me llego|me llegaron|entraron|entro|recibi|recibimos|recibio|trajeron|trajo|' +
      'me trajeron|surti|surtimos|resurti|resurtimos|surtieron|' +
      'me surtieron|compre|compramos|vino el de|vino el proveedor|ya vino|entrada de mercancia|' +
      'entrada de mercaderia|entrada de producto|entrada de productos|entrada de pedido|' +
      'nos surtieron|me resurtieron|me entregaron|entregaron|acaban de llegar|acaba de llegar|' +
      'acabo de llegar|acaban de traer|acaban de surtirme|acaba de surtirme|vinieron a surtirme|vino a surtirme|paso y me dejo|paso a dejar|paso el de|me surtio|me surtieron|acabo de recibir|acaban de surtir|me acaban de surtir|' +
      'entrada|recibida|recibidas|recibido|recibidos|reabasteci|reabastecimos|rellene|rellenamos|llenamos|llene|me regalaron|nos regalaron|' +
      'regalaron|recepcion de|entrada de|llegada de|pedido que llego|mercancia nueva|' +
      'me mandaron|nos mandaron|mandaron|me llegaron|descargue|descargamos|bajamos del camion',
  ],
  // "me dejó 24 cocas" (the supplier left them) and "¿cuánto me dejó la coca?" (profit): the
  // rules tell them apart by the question and the quantity.
  [[Cue.Arrive, Cue.Leaves], 'dejaron|me dejo|me dejaron|dejo'],
  [
    Cue.Loss,
    'congelo|se congelo|se congelaron|reventaron|se reventaron|reviento|exploto|explotaron|se inflaron|rompio|rompieron|rompi|quebro|quebraron|quebre|caduco|caducaron|caducado|caducados|caducada|' +
      'rompimos|rompiste|roto|rota|rotos|rotas|quebramos|quebrado|quebrada|quebrados|quebradas|' +
      'estrello|estrellaron|estrelle|estrellamos|estrellado|estrellada|estrellados|estrelladas|' +
      'tiro|tiraste|se me cayo|se me cayeron|se nos cayo|se nos cayeron|reventamos|revento|' +
      'caducadas|vencio|vencieron|vencido|vencidos|vencida|vencidas|echo a perder|echaron a perder|' +
      'perdieron|perdio|perdi|robaron|robo|tire|tiramos|tiraron|descompuso|descompusieron|podrio|' +
      'podrieron|pudrio|pudrieron|cayo|cayeron|danaron|danado|danados|mojaron|aplasto|regale|merma|' +
      'mermas|se pusieron duros|se pusieron duras|se agrio|se agriaron|se paso de fecha|' +
      'se pasaron de fecha|se volaron|me volaron|nos volaron|derramo|se derramo|se derramaron',
  ],
  // "un ratero se llevó 2 cervezas", "se fue sin pagar": taken without paying, a loss, not a sale.
  [
    [Cue.Loss, Cue.Theft],
    'ratero|rateros|ratera|rateras|ladron|ladrones|ladrona|ratero se llevo|sin pagar|sin pagarlas|' +
      'sin pagarlos|sin pagarla|sin pagarlo|robaron|robo|robe|me robaron|nos robaron|se robo|se robaron|me robo|nos robo|robado|robados|' +
      'robada|robadas|se las robaron|se lo robaron|me las robaron|se fue sin pagar|se fueron sin pagar',
  ],
  [Cue.Have, 'tengo|tenemos|tienes|tiene|tienen|hay|habra'],
  [
    Cue.Count,
    'cuenta fisica|conteo fisico|la cuenta da|acabo de contar|acabamos de contar|ya conte|al contar|conte|contamos|conto|contaron|conteo|recuento|recontamos|reconte',
  ],
  [Cue.InTotal, 'en total|son en total|hay en total|en existencia'],
  [
    Cue.Correction,
    'en realidad|realmente son|en verdad son|esta mal|estan mal|me equivoque|nos equivocamos|' +
      'me equivoco|si me equivoco|' +
      'mal contado|mal contados|mal contadas|mal contada|no cuadra|no cuadran|no coincide|' +
      'no coinciden|no son|eran|en vez de|en lugar de|sale mal|salen mal|esta equivocado|' +
      'esta equivocada|estan equivocados|corrijo|corrigiendo|son nomas|nada mas son|nomas son|' +
      'cantidad real|numero real|lo real|la cuenta real|en fisico son|en fisico hay',
  ],
  // "el stock real de marlboro son 7": the counted figure, a correction of the stock.
  [
    [Cue.StockNoun, Cue.Correction],
    'stock real|inventario real|existencia real|existencias reales|conteo real|stock verdadero',
  ],
  [
    Cue.Return,
    'devolvi|devolvimos|devolvio|devolvieron|devolucion|devoluciones|me devolvio|me devolvieron|' +
      'se llevo las caducadas|se llevo lo caducado|se llevo los caducados|se llevo las vencidas|se llevo lo vencido|se llevo los vencidos|regrese|regreso al proveedor|le regrese|regresaron|me regreso|me regresaron|regrese|regresamos',
  ],
  [
    Cue.Consume,
    'me comi|nos comimos|se comieron|se comio|me tome|nos tomamos|se tomaron|se tomo|' +
      'mi consumo|para mi consumo|pa mi consumo|me agarre|consumo propio|consumo de la casa|para consumo|para la casa|gasto de la casa|consumimos',
  ],
  [
    Cue.Remain,
    'queda|quedan|quedo|quedaron|sobra|sobran|sobro|quedara|como ando de|como andamos de|' +
      'alcanza|alcanzan|alcanzara|alcanzaran|me alcanza|' +
      // "qué tan bajo ando de huevo": how much is left, asked by how low it is.
      'que tan bajo ando de|que tan bajo estoy de|que tan bajos andamos de|que tan bajo andamos de|' +
      'que tan corto ando de|que tan corto estoy de|que tan cortos andamos de|que tan escaso ando de|' +
      'que tan surtido ando de|que tan surtido estoy de|que tan surtida estoy de|que tan lleno estoy de',
  ],
  [
    Cue.RunOut,
    'acaba|acaban|acabo|acabaron|acabando|acabar|acabarse|acabe|agota|agotan|agoto|agotaron|' +
      'agotado|agotados|agotada|agotadas|agotando|termina|terminan|terminaron|terminando|terminado|' +
      'escasea|escaseando|agotarse|terminarse|acabandose|terminandose|bajo de stock|poco stock|' +
      'ya no hay|no hay|ando corto|ando bajo|voy corto|andamos cortos|en cero|en ceros|sin existencia|' +
      'sin stock|se me acabo|se me acabaron|terminar|se va a terminar|se van a terminar|' +
      // "qué está por debajo del mínimo": under the reorder point.
      'debajo del minimo|abajo del minimo|bajo el minimo|bajo del minimo|menos del minimo|' +
      'menos que el minimo|debajo de su minimo|abajo de su minimo|en el minimo|llego al minimo|' +
      'llegaron al minimo|stock minimo|existencia minima|inventario minimo',
  ],
  [Cue.Lack, 'falta|faltan|faltando|faltaria|hace falta|hacen falta'],
  // "qué artículos llevan menos de 5 piezas": what is under a count is what is left.
  [
    Cue.Remain,
    'llevan menos de|tienen menos de|tengan menos de|lleven menos de|traen menos de|' +
      'hay menos de|tiene menos de|lleva menos de',
  ],
  [
    Cue.Restock,
    'reordenar|reordeno|reordenamos|reordene|resurto|surto|pedirle|encargo|encargarle|' +
      'surtir|resurtir|pedir|pido|reabastecer|reponer|comprar|encargar|hacer pedido|resurtirme|surtirme',
  ],
  [Cue.Need, 'necesito|necesitamos|ocupo|ocupamos|debo|tengo que|hay que'],
  [
    Cue.StockNoun,
    'inventario|stock|existencia|existencias|mercancia|mercaderia|almacen|inventory|surtido',
  ],
  // "cuántos six tengo en la cámara": the walk-in cooler or storeroom (not "cámaras" of security).
  [
    Cue.StockNoun,
    'en la camara|de la camara|camara fria|cuarto frio|en la bodega|de la bodega|en bodega|' +
      'en la trastienda|en el congelador|en la hielera',
  ],
  // "¿tengo coca light o ya no?": whether it is still there.
  [Cue.Still, 'todavia|aun|o ya no|o todavia|o aun'],

  [
    Cue.Profit,
    'ganancia|ganancias|gane|ganamos|gano|ganando|ganar|ganaste|gana|ganan|ganado|utilidad|' +
      'utilidades|margen|margenes|rentable|rentables|rentabilidad|redituable|perdiendo|perdidas|' +
      'pierdo|perdemos|neto|buen negocio|es negocio|queda libre|quedo libre|quedan libres|' +
      'quedaron libres|queda limpio|quedo limpio|limpio|limpios|' +
      // "cuánta lana limpia me quedó": net money is profit, not cash in.
      'lana limpia|feria limpia|dinero limpio|varo limpio|ganancia limpia|quedo limpia|' +
      'queda limpia|en limpio|gane o perdi|perdi o gane|' +
      'sali ganando|sali perdiendo|salgo ganando|salgo perdiendo|numeros rojos|numeros negros|' +
      'costo de lo vendido|perdi dinero|perdiendo dinero|pierdo dinero|perdimos dinero|perdi lana|' +
      'descontando costos|descontando gastos|quitando gastos|quitando costos|menos gastos|' +
      'despues de gastos|despues de los gastos|despues de costos|quitando lo que gaste|' +
      'menos lo que gaste|despues de pagarle|despues de pagarles|despues de pagar al|despues de pagar a|costo de venta|costo de ventas|me costo lo que vendi|' +
      'despues de pagar|despues de pagarla|despues de pagarlo|despues de pagarlas|' +
      'despues de pagarlos|quitando lo que|quitando el costo|descontando el costo|' +
      'descontando lo que|ya descontado|libre de gastos|' +
      // "¿el pan me deja algo o nomás lo vendo por vender?": whether a product leaves a profit.
      'me deja algo|le deja algo|si deja algo|deja algo|me dejan algo|dejan algo|' +
      'vendo por vender|vender por vender|vendiendo por vender|venderlo por vender|' +
      'nomas por vender|me queda de ganancia|le gano|le gane|le ganamos|gananciales|ganacia|ganancis|ganansia|' +
      // "me salió más ganancia en enero o en febrero": profit of two periods (not a best seller).
      'salio mas ganancia|salio menos ganancia|sale mas ganancia|sale menos ganancia|' +
      'salieron mas ganancias|salio mas utilidad|salio mejor ganancia|hubo mas ganancia|' +
      'hubo menos ganancia|tuve mas ganancia|tuve menos ganancia|saque mas ganancia|' +
      // "¿vendo algo por debajo de lo que me cuesta?": a negative margin.
      'debajo de lo que me cuesta|debajo de lo que me cuestan|debajo de lo que me costo|' +
      'debajo de lo que me costaron|abajo de lo que me cuesta|abajo de lo que me cuestan|' +
      'abajo de lo que me costo|abajo de lo que me costaron|menos de lo que me cuesta|' +
      'menos de lo que me cuestan|menos de lo que me costo|menos de lo que me costaron|' +
      'mas barato de lo que me cuesta|mas barato de lo que me costo|debajo del costo|' +
      'abajo del costo|bajo costo|debajo de costo|abajo de costo|en perdida|con perdida|a perdida',
  ],
  [Cue.TakeHome, 'saque|sacamos|saco|sacando|le saco|le saque|le estoy sacando'],
  [
    Cue.Leaves,
    'deja|dejan|me deja|me dejan|da mas|me da|dejando|esta dejando|me esta dejando|me estan dejando',
  ],
  [Cue.PaysOff, 'conviene|convienen|me conviene'],
  [Cue.More, 'mas|menos'],

  [Cue.PriceNoun, 'precio|precios|precio de venta|lista de precios'],
  [[Cue.PriceNoun, Cue.CostToMe], 'costo|costos'],
  // "cuánto gasté en la mercancía que se vendió": spent on stock, a cost only next to a sale.
  [Cue.CostToMe, 'gaste en|gastamos en|lo que gaste en|lo que invertimos en'],
  // "¿cuánto me costó la coca?" is a price; "cuánto me costó lo que vendí" the cost of goods sold.
  [
    [Cue.PriceNoun, Cue.CostToMe],
    'me costo|me costaron|nos costo|nos costaron|me salio en|me salieron en|costo de|costos de|' +
      'lo que me costo|lo que me costaron|lo que pague por|lo que inverti en|' +
      'cuanto inverti en|me costo lo|me costo la|me costo el|me costaron las|me costaron los',
  ],
  [
    Cue.CostVerb,
    'dando|estoy dando|cobrando|estoy cobrando|le cobro|le cobras|cobrar|cobrarle|cuesta|cuestan|cueste|cuesten|vale|valen|sale|salen|cobro|cobras|cobran|cobramos|doy|das|dan',
  ],
  [
    Cue.PriceAsk,
    'cuanto tengo el|cuanto tengo la|cuanto tengo los|cuanto tengo las|a cuanto tengo|en cuanto tengo|a como|a cuanto|en cuanto|en como|a como esta|a como estan|cuanto es de|que precio|cuanto esta|cuanto estan|cuanto anda|cuanto andan',
  ],

  // "actualiza: jarritos ahora en 18": a product's new amount, a price update.
  [
    Cue.NewPrice,
    'ahora en|ahora a|ahora esta en|ahora esta a|ahora estan en|ahora estan a|ahora cuesta|' +
      'ahora cuestan|ahora vale|ahora valen|desde hoy en|desde hoy a|a partir de hoy en|' +
      'a partir de hoy a|de ahora en adelante en|de ahora en adelante a|nuevo precio',
  ],
  [
    Cue.Expensive,
    'caro|cara|caros|caras|barato|barata|baratos|baratas|carisimo|baratisimo|mas caro|mas barato|' +
      'mas cara|mas barata|mas caros|mas baratos',
  ],
  [
    Cue.Tokens,
    'token|tokens|toquen|toquens|saldo|saldos|credito|creditos|recarga|recargas|recargar|recargo|' +
      'recargue|recargarle|recargame|recargale|suscripcion|mensualidad|mensajes me quedan|mensajes disponibles|mensajes restantes|' +
      'consultas me quedan|preguntas me quedan|consumo de tokens|cuanto he gastado contigo',
  ],
  // "cuánto me queda de crédito en el bot": the bot's credit, not a customer's ("dar crédito").
  [
    Cue.Tokens,
    'de credito en el bot|de credito en la app|de credito del bot|de credito de la app|' +
      'de credito en mi cuenta|de credito disponible|credito disponible|credito del bot|' +
      'credito en el bot|creditos del bot|creditos en el bot|credito de la app|credito en la app|' +
      'credito en mi cuenta|creditos en mi cuenta|de creditos',
  ],
  // "me llegó un aviso de que ...": a notice received from the bot, not stock that arrived.
  [
    Cue.Filler,
    'me llego un aviso|me llego una notificacion|me llego un mensaje|me salio un aviso|' +
      'me aparecio un aviso|me salio un mensaje|me aparecio un mensaje|me mandaste un aviso|' +
      'me llego una alerta|me salio una alerta',
  ],
  [Cue.Package, 'paquete|paquetes|plan|planes|membresia'],
  [
    Cue.Payment,
    'pagar|pagarla|pagarlo|pagarlos|pago|pagos|pague|pagas|pagamos|pagando|pagarte|' +
      'transferencia|transferir|transfiero|transferi|deposito|depositar|deposite|depositarte|' +
      'spei|oxxo|tarjeta|tarjetas|debito|paypal|mercado pago|efectivo|forma de pago|' +
      'formas de pago|metodo de pago|metodos de pago|cobran|gratis|gratuito|gratuita|de paga|se paga',
  ],
  [
    Cue.NotShowing,
    'no me aparece|no me aparecen|no aparece|no aparecen|no se refleja|no se reflejan|' +
      'no se ha reflejado|no se ve reflejado|no se ve reflejada|no veo reflejado|no veo reflejada|' +
      'no se acredito|no me acreditaron|no se abono|' +
      'no me abonaron|no se cargo|no se cargaron|sigue igual|sigo igual|' +
      'sigo con el mismo|no se aplico|no me lo aplico',
  ],
  [
    Cue.Meaning,
    'para que es la opcion|para que es la opcion de|que es la opcion|que hace la opcion|la opcion de|opcion de|el boton de|para que es el boton|que significa|que quiere decir|significa|a que te refieres|que es eso de|' +
      'que onda con eso de|para que sirve el|para que sirven los|para que sirve la|' +
      'para que sirve lo de|para que sirven las|para que sirve eso de|para que sirve esto de|' +
      'para que es lo de|que es lo de|que hace lo de|de que se trata lo de|' +
      'como funciona lo de|como funcionan los|como funciona el|me explicas|explicame|explicar',
  ],
  [
    Cue.Capability,
    'puedes leer|puedes ver fotos|puedes mandar|puedes mandarme|puedes sacar|puedes generar|' +
      'puedes imprimir|puedes guardar|' +
      'puedes enviar|puedes enviarme|puedes conectarte|puedes hacer|tambien puedes|' +
      'sabes hacer|aceptas|acepta|entiendes|funcionas|lees|manejas|se puede|se pueden|' +
      'hay forma de|hay manera de|es posible|tipo de cosas|que cosas me|que cosas sabes|contestas',
  ],
  [
    Cue.BotFeature,
    'foto|fotos|audio|audios|pdf|imagen|imagenes|captura de pantalla|recordatorio|recordatorios|' +
      'avisarme|avisame|recordarme|notificarme|notificacion|notificaciones|alerta|alertas|internet|sin internet|comando|grupo de whatsapp|' +
      // "¿entiendes si te escribo con faltas de ortografía?", "códigos de barras", "en excel".
      'faltas de ortografia|ortografia|errores de ortografia|mala ortografia|abreviaturas|' +
      'codigo de barras|codigos de barras|escaner|lector de codigos|archivo|archivos|' +
      'hoja de calculo|correo|por correo|email',
  ],
  // "¿te puedo mandar la lista en excel?" (a file for the bot) and "cómo hago un inventario en
  // excel" (a how-to about the world): both readings stay open.
  [[Cue.Other, Cue.BotFeature], 'en excel|un excel|de excel'],
  [
    Cue.Automatic,
    'automatico|automatica|automaticos|automaticas|automaticamente|en automatico|solito|solita|' +
      'cada noche|cada dia|cada manana|cada tarde|cada semana|cada mes|cada quincena|' +
      'todas las noches|todas las mananas|diariamente|al cerrar|al cierre',
  ],
  [
    [Cue.Help, Cue.Capability],
    'sirves para|me sirves para|tambien sirves para|sirves tambien para|te puedo usar para|' +
      'puedo usarte para|te uso para|me ayudas a llevar',
  ],
  [
    Cue.BotAccess,
    'usar el bot|usar este bot|use el bot|usen el bot|usar la app|use la app|usen la app|' +
      'usar el asistente|usar este numero|usar esta cuenta|usar mi cuenta|usarlo tambien|' +
      'usarte tambien|usarlo desde|usarte desde|escribirte desde|escribirte tambien|' +
      'mandarte mensajes|hablarte desde|darle acceso|darles acceso|dar acceso|tener acceso|' +
      'acceso al bot|acceso a la cuenta|otro celular|otro numero|otro telefono|mas de un celular|' +
      'mas de un numero|varios celulares|varios numeros|dos celulares|dos numeros|' +
      'desde su celular|desde su telefono|en su celular|en su telefono|mismo numero|misma cuenta|varios usuarios|otro usuario|mas usuarios|' +
      // "¿puedo agregar a mi esposa para que también te escriba?": another person using the bot.
      'agregar a mi esposa|agregar a mi esposo|agregar a mi socio|agregar a mi socia|' +
      'agregar a mi hijo|agregar a mi hija|agregar a mi empleado|agregar a mi empleada|' +
      'agregar a mi hermano|agregar a mi hermana|agregar a otra persona|agregar a alguien mas|' +
      'agregar otro usuario|agregar usuarios|dar de alta a mi esposa|dar de alta a mi empleado|' +
      'tambien te escriba|tambien te escriban|te escriba tambien|tambien te hable|tambien te use|' +
      'tambien te mande mensajes|tambien te pueda escribir|tambien pueda escribirte',
  ],
  [
    Cue.Manage,
    'llevar|llevarme|llevarmelo|llevarmela|llevarle|controlar|controlarme|administrar|' +
      'administrarme|manejar|manejarme|gestionar|organizar|organizarme|llevar el control|' +
      'llevar control|llevar la cuenta|llevar las cuentas|hacerte cargo|encargarte|encargarte de|' +
      'ayudarme a llevar',
  ],
  [
    Cue.Clueless,
    'no se que escribirte|no se que escribir|no se que preguntarte|no se que preguntar|' +
      'no se que decirte|no se que pedirte|no se que ponerte|no se que mandarte|' +
      'no se ni que escribir|no se ni que preguntar|no se ni que preguntarte|no se ni que escribirte|' +
      'ni idea de que preguntar|ni idea de que preguntarte|ni idea de que escribir|' +
      'ni idea de que escribirte|no se que se te puede preguntar|no se que te puedo preguntar|' +
      'no se que te puedo escribir|no se que te pregunto|no se que te escribo|no se que te digo|' +
      'no se que poner aqui|no se que poner aca|no se como preguntarte|no se como usarte|' +
      'no se por donde empezar|no se como empezar|no se como se usa|no se usar esto|no se usarte|' +
      'no se de que hablarte|no tengo idea de que preguntar',
  ],
  [Cue.Tier, 'basico|estandar|pro|empresarial|premium'],
  [
    Cue.AbleTo,
    'eres capaz|serias capaz|es capaz de|seria capaz de|tienes la capacidad|tienes capacidad|' +
      'estas programado para|te da para|tienes la funcion de|tienes la funcion',
  ],
  // "¿te puedo pedir que me recuerdes pagarle al proveedor?": a reminder asked of the bot.
  [
    [Cue.Alert, Cue.BotFeature],
    'recuerdes|me recuerdes|recuerdame|me recuerdas|me recuerde|recordarme|recordar',
  ],
  // "quiero aprender a usar el bot": learning the bot is help.
  [
    Cue.Help,
    'aprender a usar|aprender a usarte|aprender a usarlo|aprender a usarla|aprender a manejar|' +
      'aprender a manejarte|aprender como se usa|aprender como funciona|ensename a usar|' +
      'ensename a usarte|ensename a usarlo|ensename como se usa',
  ],
  [Cue.Want, 'quiero|quisiera|queria|kiero'],

  [
    Cue.Help,
    'ayuda|ayudame|ayudas|ayudar|auxilio|help|menu|opciones|comandos|instrucciones|tutorial|manual|' +
      'que puedes hacer|que sabes hacer|que haces|que mas puedes hacer|que mas haces|como funciona|' +
      'como funcionas|funciona esto|como se usa|como te uso|como usar|como usarte|usarte|usar esto|' +
      'para que sirve|para que sirves|que cosas puedo|que puedo preguntar|que te puedo preguntar|' +
      'te puedo preguntar|preguntarte|puedo preguntarte|en que me puedes ayudar|no entiendo|' +
      'como te puedo usar|que puedo hacer contigo|que haces tu|que puedo hacer|que se puede hacer|' +
      'no le entiendo|no te entiendo|no entendi|que informacion|me puedes dar|funciones|' +
      'que funciones|que sabes|como empiezo|' +
      'como empezar|por donde empiezo|como le empiezo|primeros pasos|contigo|puedes leer|' +
      'lees fotos|leer fotos|lees tickets|entiendes audios|entiendes audio|mandar audio|' +
      'mandarte audio|mandarte fotos|mandarte una foto|puedo mandar|puedo mandarte|se puede mandar|' +
      'puedo enviar|puedo enviarte|se puede enviar|mandar notas de voz|nota de voz|notas de voz|' +
      'le puedo pedir|te puedo pedir|puedo pedirte|en que me sirves|para que me sirves|en que me ayudas|' +
      'que otras cosas|que hago aqui|que hago con esto|que se hace aqui|que mas sabes|sabes hacer|puedes hacer|que puedes|que haces por mi|como te hablo|' +
      'que te digo|que comandos|ejemplos|un ejemplo|dame ejemplos|' +
      // "¿en qué me puedes echar la mano?": help, said the Mexican way.
      'echar la mano|echarme la mano|me echas la mano|echar una mano|echarme una mano|me echas una mano',
  ],
  [
    Cue.BotAction,
    'registro|anoto|apunto|agrego|cambio|subo|veo|consulto|pregunto|reviso|checo|capturo|' +
      'actualizo|ajusto|doy de alta|uso|pido|registrar|anotar|apuntar|agregar|cambiar|ver|consultar|' +
      'preguntar|revisar|checar|capturar|actualizar|ajustar|usar|usarte|doy|dar|mando|mandar|' +
      'envio|enviar|borro|borrar|quito|quitar|corrijo|corregir|cancelo|cancelar|empiezo|empezar|' +
      'configuro|configurar|conecto|conectar|agrego|escribo|escribir|digo|le digo|digas|muestres|ensenes|saber|decirte|aviso|avisar',
  ],

  [
    Cue.Greet,
    'hola|ola|holi|holis|hello|hey|buenas|saludos|quiubo|quiubole|que onda|que tal|' +
      'que hubo|que hay de nuevo|como estas|como esta usted|como le va|como te va|buenos dias|' +
      'buenas tardes|buenas noches|buen dia|buenos dia|buena tarde|buena noche|hola de nuevo|wenas|' +
      'wenos dias|bueno dias|buen dias|buenas dias|buenos tardes|buena tardes|buenos noches',
  ],
  [
    Cue.Thanks,
    'gracias|grax|thx|thanks|thank you|agradezco|amable|muy amable|mil gracias|te lo agradezco|' +
      // "muy bien, me sirvió mucho": praise for the answer is thanks (a bare "no me sirvió" is not).
      'me sirvio mucho|me sirvio bastante|me sirvio de mucho|me ayudo mucho|me ayudaste mucho|' +
      'me fue util|me fue muy util|me sirvio un buen|me salvaste',
  ],
  [
    Cue.Bye,
    'adios|bye|bai|chao|chau|hasta manana|hasta luego|nos vemos|cuidate|hasta pronto|' +
      'ahi nos vemos|ahi nos vidrios|nos vidrios|ahi nos vemos luego|ahi la vemos|ahi se ven|' +
      'nos vemos luego|nos vemos al rato|hasta al rato|hasta el rato|hasta la proxima|bye bye|' +
      'bai bai|me despido|cuidese|cuidense|adiosito|nos leemos|luego hablamos|al rato hablamos|' +
      'luego te escribo|al rato te escribo|que descanses|que le vaya bien|que te vaya bien|ai nos vemos',
  ],
  [
    Cue.Ack,
    'ok|okay|oki|okey|va|sale|vale|listo|perfecto|excelente|genial|orale|entendido|de acuerdo|' +
      'claro|esta bien|muy bien|bien|sip|si|de pelos|a todo dar|a sus ordenes|a la orden|' +
      'a tus ordenes|simon|chido|chidito|sobres|va que va|' +
      'arre|ya quedo|de lujo|con gusto|enterado|enterada|okas|vientos|' +
      // "ah ok ya vi", "ya entendí": the user got it.
      'ya vi|ya lo vi|ya la vi|ya los vi|ya las vi|ya entendi|ya le entendi|ya capte|ya caigo|' +
      'ya me quedo claro|ya esta claro|ya supe',
  ],
  [
    Cue.Other,
    'idea|ideas|consejo|consejos|aconsejas|recomienda|recomiendas|recomiendame|recomendacion|' +
      'recomendaciones|sugerencia|sugerencias|sugieres|promocion|promociones|promo|promos|oferta|' +
      'ofertas|estrategia|estrategias|publicidad|anuncio|anuncios|cartel|marketing|facebook|' +
      'instagram|tiktok|redes|google|clima|llover|lluvia|llueve|partido|futbol|chiste|chistes|' +
      'cuentame|platicame|escribe|escribeme|redacta|redactame|opinas|opinion|' +
      'deberia|crecer|crezca|mejorar|atraer|atraigo|clientes|cliente|competencia|competir|oxxo|' +
      'tarjeta|tarjeta de credito|tarjeta de debito|terminal|horario|' +
      // "cómo hago un código qr para que me paguen": ways customers pay the shop are advice.
      'qr|codigo qr|mercado pago|mercadopago|spei|terminal de pago|pagos digitales|pago con qr|ahorrar|prestamo|robot|eres|' +
      'vale la pena|plan de negocio|plan de negocios|negocio|cocinar|navidad|temporada|' +
      'dia de muertos|dia de las madres|respondes|abrir|cerrar|ganar clientes|' +
      'gano clientes|dar credito|da credito|de credito|a credito|le pago a|cuanto le pago|pagarle a|' +
      'muchacha|ayudante|trabajador|trabajadores|ganarme clientes|gane clientes|ganarle a|conseguir clientes|mas clientes|' +
      'vender mas|inteligencia artificial|chatgpt|noticias|dolar|novia|novio|nombre|edad|capital|' +
      'pelicula|musica|cancion|amor|cansado|cansada|aburrido|aburrida|triste|estresado|estresada|' +
      'esposa|esposo|regalo|cumpleanos|excel|letrero|tramite|permiso|licencia|renta|local|luz|empleado|empleados|' +
      'sueldo|pagarle|salario|seguro|banco|credito bancario|invertir|inversion|' +
      'como le hago para vender|como atraigo|como consigo|vender mas|vendo poco|bajaron las ventas|' +
      'quedo mal|me quedo mal|quedar mal|negociar|negocio con|que tal si|que vendo en|que puedo vender|que otra cosa vendo|' +
      'que mas puedo vender|aumento del|me conviene abrir|local nuevo|sucursal|robaron la tienda|asaltaron|' +
      'seguridad|camara|camaras|chistoso|gracioso|te gusta|te cae|quien gano|equipo|america|' +
      'chivas|tiempo hace|hace calor|hace frio|que dia es|que hora es|vacaciones|dios|salud|' +
      'doctor|medicina|hijo|hijos|escuela|tarea|perros|perrito|perrita|mascota|mascotas|gato|hambre|comer|cena|desayuno',
  ],
  [
    [Cue.Other, Cue.Advice],
    'iva|isr|ieps|sat|rfc|impuestos|impuesto|factura|facturas|facturar|fiscal|ticket fiscal|' +
      'contador|declaracion|hacienda|crees que|tu crees|piensas que|que piensas|que opinas|' +
      'que es mejor|que seria mejor|es mejor vender|conviene mas vender|a quien le hablo|' +
      'a quien llamo|tecnico|una tiendita|las tienditas|una tienda|las tiendas|las tiendas de abarrotes|en mexico|un buen margen|buen margen|margen normal|margen ideal|donde consigo|donde venden|hazme un mensaje|mensaje para|mensaje pa|un aviso|un anuncio|cuantos litros tiene|cuantos litros trae|cuantos gramos tiene|cuantos mililitros|cuantas onzas|equivale|equivalen|convertir|billete falso|billetes falsos|falso|falsa|falsos|me estafaron|estafa|rentar|rentar o comprar|comprar o rentar|comprar local|traspaso|reparar|arreglar el|arreglar la',
  ],
  // Outside-world requests a shop's data cannot answer: translations, recipes, calendar facts,
  // the economy.
  [
    [Cue.Other, Cue.Advice],
    'traduce|traducir|traduceme|traducelo|traducemelo|traduccion|como se dice|en ingles|al ingles|' +
      'ingles|en frances|receta|recetas|como se prepara|como se preparan|como preparo|' +
      'como se cocina|cuantos dias tiene|cuantos dias trae|cuantas semanas tiene|' +
      'cuantos dias faltan para|que dia cae|en que dia cae|cuando cae|bisiesto|dia festivo|' +
      'dias festivos|dia feriado|feriado|calendario|inflacion|economia|recesion|gasolinazo',
  ],
  // "¿cuánto vendí? ocupo el dato pal contador": the data is for the accountant, not tax advice.
  [
    Cue.Filler,
    'pal contador|para el contador|para mi contador|pa mi contador|para la contadora|' +
      'para mi contadora|pa mi contadora|para pasarselo al contador|para darselo al contador',
  ],
  // "¿le doy fiado?" is advice; "¿sirve para llevar el fiado?" asks for a ledger the bot keeps.
  [[Cue.Other, Cue.Ledger], 'fiado|fiados|fiar|fiarle'],
  [
    [Cue.Other, Cue.Ledger],
    'fiado de los clientes|fiado de mis clientes|fiados de los clientes|fiados de mis clientes|' +
      'fiado a los clientes|fiado a mis clientes|deudas de los clientes|deudas de mis clientes|' +
      'cuentas de los clientes|cuentas de mis clientes|lo que me deben los clientes',
  ],
  [Cue.Ledger, 'cuentas|deudas|deudores|lo que me deben|quien me debe|libreta|cuaderno'],
  // "tengo dudas de cómo usar esto" asks for help; "tengo una duda sobre el sat" is small talk.
  [Cue.Doubt, 'duda|dudas'],
  // Chores are a how-to about the world: "cómo limpio el refri" (not "me quedó limpio", a profit).
  [
    [Cue.Other, Cue.Advice],
    'como limpio|como le limpio|como lo limpio|como la limpio|como limpiar|como se limpia|' +
      'con que limpio|con que se limpia|limpiar|limpiarlo|limpiarla|lavar|lavarlo|como lavo|' +
      'trapear|barrer|desinfectar|como desinfecto|descongelar|como descongelo|' +
      'mancha|manchas|cochambre|sarro|mugre|grasa pegada|mal olor|huele mal|huele feo|destapar|' +
      'como destapo|gotera|goteras',
  ],
  // "se descompuso el refri, ¿cómo lo arreglo?": a repair is a how-to about the world (but "si me
  // equivoco al anotar, ¿cómo lo arreglo?" fixes an entry: rules.ts tells them apart).
  [
    [Cue.Other, Cue.Advice, Cue.How],
    'como lo arreglo|como la arreglo|como arreglo|como se arregla|como lo reparo|como la reparo|' +
      'como reparo|como se repara|como lo compongo|como la compongo|arreglarlo|arreglarla|' +
      'repararlo|repararla|componerlo|componerla',
  ],
  // "¿me puedes avisar cuando se acabe?": asks whether the bot alerts.
  [
    [Cue.Capability, Cue.Alert],
    'puedes avisar|puedes avisarme|me puedes avisar|me puede avisar|puede avisar|puede avisarme|' +
      'podrias avisarme|me podrias avisar|me avisas cuando|me avisa cuando|' +
      // "¿me puedes recordar hacer el corte?": a reminder is an alert too.
      'puedes recordar|puedes recordarme|me puedes recordar|podrias recordarme|me podrias recordar',
  ],
  [
    Cue.Alert,
    'avisar|avisarme|avisame|avisa|avisas|avise|avises|avisaria|avisarias|notificar|' +
      'notificarme|notifica|alertar|alertarme|alertame|mandarme un aviso',
  ],
  [
    Cue.Pest,
    'cucaracha|cucarachas|rata|ratas|raton|ratones|plaga|plagas|fumigar|fumigacion|fumigador|' +
      'hormigas|moscas|mosquitos|chinches|termitas|alimanas|bichos',
  ],
  [
    Cue.Unit,
    'caja|cajas|paquete|paquetes|bolsa|bolsas|pieza|piezas|pza|pzas|kilo|kilos|kg|litro|litros|lt|' +
      'ml|gr|gramos|six|sixpack|bote|botes|costal|costales|bulto|bultos|rollo|rollos|sobre|sobres|' +
      'suelto|sueltos|suelta|sueltas|charola|charolas|reja|rejas|lata|latas|botella|botellas|docena|docenas|par|pares|cartera|' +
      'carteras|tira|tiras|bolsita|bolsitas|vaso|vasos|taza|tazas|barra|barras|tubo|tubos',
  ],
  [
    Cue.Show,
    'lista|listado|muestrame|ensename|dime|ver|quiero ver|revisa|revisame|checa|checame|consulta|' +
      'consultame|dame|pasame|mandame',
  ],
  [
    Cue.Filler,
    'oye|oiga|ey|bueno|pues|ps|a ver|disculpa|una pregunta|porfa|por favor|favor|xfa|plis|' +
      'please|y|e|entonces|amigo|amiga|jefe|don|dona|joven|compa|carnal|wey|bro|mi amigo|dias|' +
      'tardes|noches|nuevo|oie',
  ],
];

/**
 * Function words and everyday verbs that carry no intent and are never a product. Everything
 * not listed here, not a cue, not a number and not a date word counts as "content" (usually a
 * product), which is what entity extraction and some rules look at.
 */
export const STOP_WORDS =
  'a|al|el|la|los|las|lo|le|les|de|del|en|con|por|para|pa|o|u|me|mi|mis|te|tu|tus|se|su|sus|nos|' +
  'ya|no|es|son|era|fue|fueron|esta|estan|este|esto|eso|esa|ese|esos|esas|estos|estas|ser|estar|' +
  'he|has|ha|han|ahi|aqui|aca|alla|ahorita|ahora|nada|solo|nomas|casi|muy|cada|todo|todos|toda|' +
  'todas|tanto|tan|otro|otra|otros|otras|mismo|algo|alguien|nadie|puedes|puedo|podrias|podria|' +
  'dame|decir|dices|di|dijiste|saber|sabes|se|mostrar|muestrame|ensename|revisa|revisame|checa|' +
  'checame|consulta|hacer|hace|hago|haces|estoy|verdad|senor|senora|vez|veces|pesos|peso|varos|' +
  'baros|mxn|centavos|centavo|c|cu|uno|unos|unas|cada uno|mucho|mucha|muchos|muchas|poco|poca|pocos|pocas|sobre|entre|' +
  'desde|hasta|sin|tambien|igual|mejor|peor|bien|mal|ademas|luego|despues|antes|ahorita|siempre|' +
  'nunca|tambien|cosa|cosas|producto|productos|articulo|articulos|todos los|tienda|changarro|' +
  'ese|aquel|cual|mio|mia|tuyo|nuestro|nuestra|ok|x|vs|ver|va|van|ir|voy|vamos|iba|fui|estuvo|' +
  'estuvieron|estuve|tuve|tuvimos|tuvo|quiere|quieren|pusieron|puse|pusiste|dio|dieron|dan|da|' +
  'llevan|lleva|cliente|clientes|senorita|ya no|bot|asistente|sistema|app|aplicacion|usted|ustedes|' +
  'yo|tu|el|ella|nosotros|ellos|ellas|alguno|alguna|algunos|algunas|ningun|ninguna|ninguno|solo|' +
  'unicamente|nuevamente|otra vez|tipo|como|cuanto|aproximadamente|mas o menos|bastante|ciertos|' +
  'venian|venia|estaba|estabas|estaban|estabamos|quede|quedara|proveedor|proveedores|refri|mandame|manda|enviame|envia|pasame|pasa|quedar|ahorita|orita|luego luego|rapido|porfavor|' +
  // "vendí harto pero no veo la lana": a conjunction (its key is the same as "perro"'s).
  'pero';

/** Shorthand people type, rewritten before folding: "k"/"q" → "que", "xq" → "porque". */
export const TOKEN_ALIASES: Readonly<Record<string, string>> = {
  k: 'que',
  q: 'que',
  qe: 'que',
  ke: 'que',
  xq: 'porque',
  pq: 'porque',
  xk: 'porque',
  pk: 'porque',
  x: 'por',
  d: 'de',
  pa: 'para',
  tmb: 'tambien',
  tb: 'tambien',
  xfa: 'porfa',
  xfavor: 'porfa',
  porfis: 'porfa',
  pls: 'porfa',
  plz: 'porfa',
  toy: 'estoy',
  ta: 'esta',
  tas: 'estas',
  tan: 'estan',
  aki: 'aqui',
  dnd: 'donde',
  kien: 'quien',
  kiero: 'quiero',
  ntp: 'ok',
  oka: 'ok',
  okis: 'ok',
  menus: 'menu',
  ola: 'hola',
  info: 'informacion',
  inv: 'inventario',
  invent: 'inventario',
};

/** Brands and staples: never fuzzily "corrected" into a keyword, always content. */
export const KNOWN_PRODUCTS =
  'coca|cocas|cocacola|sabritas|maruchan|bimbo|lala|zote|fabuloso|leche|leches|pan|huevo|huevos|' +
  'aceite|jabon|chicle|chicles|tortilla|tortillas|refresco|refrescos|galleta|galletas|papas|' +
  'doritos|takis|cheetos|agua|cerveza|cervezas|cigarro|cigarros|frijol|arroz|azucar|sal|cafe|' +
  'atun|sopa|yogurt|yogurts|queso|jamon|salchicha|pepsi|jugo|jugos|bolillo|bolillos|dulce|dulces|' +
  'paleta|paletas|panal|panales|detergente|cloro|papel|servilleta|tostadas|gansito|chocolate|' +
  'nescafe|knorr|herdez|modelo|corona|tecate|sprite|fanta|boing|jarritos|penafiel|gatorade|' +
  'electrolit|gamesa|marinela|alpura|nutrileche|pinol|ariel|roma|suavitel|colgate|harina|' +
  'mayonesa|catsup|chiles|chile|limon|limones|tomate|cebolla|papa|manzana|platano|huevito|' +
  'topochico|ciel|bonafont|barcel|ruffles|churrumais|rancheritos|emperador|chokis|marias|' +
  'nito|mantecadas|conchas|donas|telcel|movistar|hielo|carbon|veladora|veladoras';
