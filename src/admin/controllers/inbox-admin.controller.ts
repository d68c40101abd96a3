import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InboxService } from '../../inbox/services/inbox.service';
import { AdminAuthGuard } from '../admin-auth.guard';

/** For the engineer on call: what failed, and a way to process it again. */
@ApiTags('admin: inbox')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/inbox')
export class InboxAdminController {
  constructor(private readonly inbox: InboxService) {}

  @Get('failed')
  @ApiOperation({ summary: 'Inbound messages whose processing failed for good' })
  @ApiQuery({ name: 'limit', required: false })
  failed(@Query('limit') limit?: string) {
    return this.inbox.listFailed(Math.min(Math.max(Number(limit) || 50, 1), 500));
  }

  @Post(':wamid/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a failed inbound message again (it is answered at most once)' })
  replay(@Param('wamid') wamid: string) {
    return this.inbox.replay(wamid);
  }
}
