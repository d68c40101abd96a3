import {
  Body,
  type BeforeApplicationShutdown,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import { ZodValidationPipe } from '../admin/pipes/zod-validation.pipe';
import { InvalidInputError } from '../common/errors/domain-error';
import type { DemoGraphEvent } from './demo-backend';
import { llmFailureSchema, sendMessageSchema, statusSchema } from './demo.schemas';
import { DemoService } from './demo.service';

/** Largest upload the simulator's voice-note button takes (Meta's own cap for audio). */
const MAX_MEDIA_BYTES = 16 * 1024 * 1024;

/**
 * The simulator's API (DEMO_MODE only, never in the OpenAPI document): the phone's actions
 * become signed webhooks, the app's Graph API traffic streams back as server-sent events.
 */
@ApiExcludeController()
@Controller('demo')
export class DemoController implements BeforeApplicationShutdown {
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly demo: DemoService) {}

  @Get('info')
  info() {
    const { shop, offlineLlm } = this.demo.backend;
    return {
      shop: {
        tenantId: shop.tenantId,
        name: shop.name,
        displayPhoneNumber: shop.displayPhoneNumber,
        people: shop.people,
      },
      offlineLlm,
      llmFailure: this.demo.backend.llmFailure(),
    };
  }

  @Post('messages')
  @HttpCode(202)
  send(
    @Body(new ZodValidationPipe(sendMessageSchema, 'message'))
    input: z.output<typeof sendMessageSchema>,
  ) {
    return this.demo.sendMessage(input.sender, input.message);
  }

  @Post('statuses')
  @HttpCode(202)
  status(
    @Body(new ZodValidationPipe(statusSchema, 'status')) input: z.output<typeof statusSchema>,
  ) {
    return this.demo.sendStatus(input.sender, input.wamid, input.status);
  }

  /** A voice note's bytes (any audio/* type): stored on the fake Graph API like a phone's upload. */
  @Post('media')
  @HttpCode(201)
  media(@Req() req: FastifyRequest, @Body() body: unknown) {
    const type = String(req.headers['content-type'] ?? '').trim();
    if (!/^audio\//i.test(type) || !Buffer.isBuffer(body) || body.length === 0) {
      throw new InvalidInputError('Invalid media', [
        { field: 'body', reason: 'send the audio bytes with an audio/* Content-Type' },
      ]);
    }
    if (body.length > MAX_MEDIA_BYTES) {
      throw new InvalidInputError('Invalid media', [{ field: 'body', reason: 'over 16 MB' }]);
    }
    return { id: this.demo.backend.storeMedia(body, type), mimeType: type };
  }

  @Put('llm-failure')
  llmFailure(
    @Body(new ZodValidationPipe(llmFailureSchema, 'LLM failure'))
    input: z.output<typeof llmFailureSchema>,
  ) {
    if (!this.demo.backend.offlineLlm && input.mode !== 'none') {
      throw new InvalidInputError('Invalid LLM failure', [
        {
          field: 'mode',
          reason:
            'failures can only be scripted on the offline (fake) LLM: unset OPENROUTER_API_KEY',
        },
      ]);
    }
    this.demo.backend.setLlmFailure(input.mode);
    return { llmFailure: this.demo.backend.llmFailure() };
  }

  @Get('answers/:wamid')
  answer(@Param('wamid') wamid: string) {
    return this.demo.answerDetails(wamid);
  }

  /** Server-sent events: every message and read receipt the app sends to the Graph API from now on. */
  @Get('events')
  events(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const write = (event: DemoGraphEvent) => res.write(`data: ${JSON.stringify(event)}\n\n`);
    const unsubscribe = this.demo.backend.subscribe(write);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    this.streams.add(res);
    req.raw.once('close', () => {
      unsubscribe();
      clearInterval(ping);
      this.streams.delete(res);
    });
  }

  /** Open streams never end on their own: end them so the server can close. */
  beforeApplicationShutdown(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }
}
