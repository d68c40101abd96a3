import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { PERIOD_NAMES } from './tool-args';

/**
 * The JSON schemas the model sees, hand-written because the ones z.toJSONSchema derives carry
 * $schema, patterns and refinements the model does not need — and every byte here is paid on
 * every round. tool-args.ts (zod) is what actually validates; a test keeps the two in step.
 */

const periodProps = {
  period: { type: 'string', enum: PERIOD_NAMES },
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

const PERIOD_HINT = 'period, o from/to YYYY-MM-DD incluidos; default hoy';

export const TOOL_DEFINITIONS: Readonly<Record<string, ChatCompletionTool>> = {
  get_sales_summary: tool(
    'get_sales_summary',
    `Ventas: total, tickets, piezas. ${PERIOD_HINT}`,
    periodProps,
  ),
  get_top_products: tool('get_top_products', `Productos más vendidos. ${PERIOD_HINT}`, {
    ...periodProps,
    limit: { type: 'integer', minimum: 1, maximum: 10 },
  }),
  get_profit: tool('get_profit', `Ganancia y margen. ${PERIOD_HINT}`, periodProps),
  get_stock: tool('get_stock', 'Existencias de un producto', productProps, ['product']),
  get_low_stock: tool('get_low_stock', 'Productos en o bajo su mínimo', {}),
  get_price: tool('get_price', 'Precio y costo de un producto', productProps, ['product']),
};

export const READ_TOOLS = Object.keys(TOOL_DEFINITIONS);
