import { Injectable, Logger } from '@nestjs/common';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import type { Intent } from '../intents';
import { StoreService } from '../store/services/store.service';
import { READ_TOOLS, TOOL_DEFINITIONS } from './tool-definitions';
import { TOOL_HANDLERS } from './tool-handlers';

/** Who is asking and when: always from the job, so a model can never pick another shop. */
export interface ToolContext {
  tenantId: string;
  timeZone: string;
  now: Date;
  /**
   * False for an employee: profit, cost and margin are the owner's. The profit tool and a
   * ranking by profit are refused, and cost/profit/margin figures are taken out of every
   * other result (a stock answer carries the product's cost, from which profit follows).
   */
  ownerView?: boolean;
}

export interface ToolResult {
  ok: boolean;
  /** Compact JSON on success; a short message the model can act on otherwise. */
  content: string;
}

/** Only the tools an intent needs: fewer definitions, fewer prompt tokens, fewer wrong calls. */
const TOOLS_BY_INTENT: Partial<Record<Intent, readonly string[]>> = {
  ventas: ['get_sales_summary', 'get_top_products'],
  ganancias: ['get_profit', 'get_top_products'],
  inventario: ['get_stock', 'get_low_stock'],
  precios: ['get_price'],
  otro: READ_TOOLS,
};

/** Raw model arguments above this are not a product name or a period; refuse before parsing. */
const MAX_ARGS_LENGTH = 2_000;

/**
 * The read tools the LLM may call on a shop's data. `execute` never throws: bad arguments
 * and database failures come back as `ok: false` with a message the tool loop hands to the
 * model, which can correct itself or answer without the data.
 */
@Injectable()
export class ToolsService {
  private readonly log = new Logger(ToolsService.name);

  constructor(private readonly store: StoreService) {}

  toolsForIntent(intent: Intent): string[] {
    return [...(TOOLS_BY_INTENT[intent] ?? [])];
  }

  definitionsFor(names: string[]): ChatCompletionTool[] {
    return names.flatMap((n) => (Object.hasOwn(TOOL_DEFINITIONS, n) ? [TOOL_DEFINITIONS[n]] : []));
  }

  async execute(ctx: ToolContext, name: string, rawArgs: string): Promise<ToolResult> {
    const handler = Object.hasOwn(TOOL_HANDLERS, name) ? TOOL_HANDLERS[name] : undefined;
    if (!handler) {
      return refuse(`herramienta desconocida "${name}"; usa: ${READ_TOOLS.join(', ')}`);
    }
    const json = parseJson(rawArgs);
    if (!json.ok) return refuse(json.error);
    const parsed = handler.args.safeParse(json.value);
    if (!parsed.success) return refuse(`argumentos inválidos: ${describeIssues(parsed.error)}`);
    const ownerView = ctx.ownerView ?? true;
    if (!ownerView && isProfitRead(name, parsed.data)) {
      return refuse('las ganancias, costos y márgenes solo los puede ver el dueño de la tienda');
    }
    try {
      const result = await handler.run({ ...ctx, store: this.store }, parsed.data);
      return {
        ok: true,
        content: JSON.stringify(ownerView ? result : withoutOwnerFigures(result)),
      };
    } catch (err) {
      // The model gets a generic line (no SQL, no internals); the log keeps the detail.
      this.log.error(`tool ${name} failed for tenant ${ctx.tenantId}: ${(err as Error).message}`);
      return { ok: false, content: 'error: no pude leer los datos de la tienda, intenta de nuevo' };
    }
  }

  /**
   * The same read for our own code (level 2 answers from it): validated like a model's call,
   * the result as data. Throws when the arguments are invalid or the data cannot be read,
   * so the caller can drop to the next level.
   */
  async read(ctx: ToolContext, name: string, args: Record<string, unknown>): Promise<unknown> {
    const handler = Object.hasOwn(TOOL_HANDLERS, name) ? TOOL_HANDLERS[name] : undefined;
    if (!handler) throw new Error(`unknown tool ${name}`);
    const parsed = handler.args.safeParse(args);
    if (!parsed.success) throw new Error(`${name}: ${describeIssues(parsed.error)}`);
    return handler.run({ ...ctx, store: this.store }, parsed.data);
  }
}

function refuse(message: string): ToolResult {
  return { ok: false, content: `error: ${message}` };
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (typeof raw !== 'string') return { ok: false, error: 'los argumentos deben ser JSON' };
  if (raw.length > MAX_ARGS_LENGTH) return { ok: false, error: 'argumentos demasiado largos' };
  // Some models send "" for a tool without parameters.
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, error: 'los argumentos no son JSON válido' };
  }
}

/** "period: Invalid option…; tenantId: campo no permitido" — short enough for a tool message. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `campo no permitido: ${issue.keys.join(', ')}`;
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** The reads whose whole point is profit: refused outright for an employee. */
function isProfitRead(name: string, args: unknown): boolean {
  if (name === 'get_profit') return true;
  return name === 'get_top_products' && (args as { by?: string }).by === 'profit';
}

/** Result keys that are the owner's figures (cost, cost_cents, profit…, margin_pct). */
const OWNER_KEY = /^(cost|profit|margin)(_|$)/;

/** A result without the owner's figures, at any depth. */
export function withoutOwnerFigures(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOwnerFigures);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !OWNER_KEY.test(key))
      .map(([key, v]) => [key, withoutOwnerFigures(v)]),
  );
}
