import type { IntentResult } from './intent.types';

/**
 * True when the message asks to write something (record a sale, move stock, change a price):
 * the caller must build a pending action and ask for confirmation, never answer it as a read.
 * A price change counts even when its amount or product is missing ("sube el precio de la
 * coca"): `entities.priceChange` / `priceDelta` are then absent and the caller asks for them.
 */
export function isChangeRequest(result: IntentResult): boolean {
  switch (result.intent) {
    case 'registrar_venta':
    case 'ajustar_inventario':
      return true;
    case 'precios': {
      const { priceChange, priceDelta, wantsPriceChange } = result.entities;
      return priceChange !== undefined || priceDelta !== undefined || wantsPriceChange === true;
    }
    default:
      return false;
  }
}
