import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { TOP_BY } from './tool-args';

/**
 * The JSON schemas the model sees, hand-written because the ones z.toJSONSchema derives carry
 * $schema, patterns and refinements the model does not need — and every byte here is paid on
 * every round. tool-args.ts (zod) is what actually validates; a test keeps the two in step.
 */

/**
 * The periods offered by name; the others the tools accept (antier, este_anio) and any range
 * are as easy for a model to say with from/to, and each enum value is paid on every round.
 */
const OFFERED_PERIODS = ['hoy', 'ayer', 'esta_semana', 'semana_pasada', 'este_mes', 'mes_pasado'];

const periodProps = {
  period: { type: 'string', enum: OFFERED_PERIODS },
  from: { type: 'string' },
  to: { type: 'string' },
};

const productProps = { product: { type: 'string' } };

function tool(
  name: string,
  description: string,
  properties: Record<string, unknown>,
  required: string[] = [],
): ChatCompletionTool {
  return {
    type: 'function',
    function: {
      name,
      description,
      parameters: {
        type: 'object',
        properties,
        // No additionalProperties: the zod schemas are strict anyway, and it is ~8 tokens a tool.
        ...(required.length ? { required } : {}),
      },
    },
  };
}

const PERIOD_HINT = 'period o from/to (YYYY-MM-DD, incluidos); default hoy';
const PRODUCT_HINT = 'de la tienda o de un product';

export const TOOL_DEFINITIONS: Readonly<Record<string, ChatCompletionTool>> = {
  get_sales_summary: tool(
    'get_sales_summary',
    `Ventas (total, tickets, piezas) ${PRODUCT_HINT}. ${PERIOD_HINT}`,
    { ...periodProps, ...productProps },
  ),
  get_top_products: tool(
    'get_top_products',
    `Productos top por units, amount o profit. ${PERIOD_HINT}`,
    {
      ...periodProps,
      by: { type: 'string', enum: TOP_BY },
      // 1–10, validated by zod; the bounds are not worth their tokens on every round.
      limit: { type: 'integer' },
    },
  ),
  get_profit: tool('get_profit', `Ganancia, costo y margen ${PRODUCT_HINT}. ${PERIOD_HINT}`, {
    ...periodProps,
    ...productProps,
  }),
  get_stock: tool('get_stock', 'Existencias de un producto', productProps, ['product']),
  get_low_stock: tool('get_low_stock', 'Qué surtir: productos en o bajo su mínimo', {}),
  get_price: tool('get_price', 'Precio y costo de un producto', productProps, ['product']),
};

export const READ_TOOLS = Object.keys(TOOL_DEFINITIONS);
