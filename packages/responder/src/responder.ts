// The responder stage. No playbook is defined yet, so it reads and counts findings and acts on
// none; actions (deny lists, webhooks) plug in here.
import type { Finding, Processor, StageContext } from '@sidetap/core';
import type { ResponderConfig } from './responderConfig';

export function createResponder(_config: ResponderConfig, ctx: StageContext): Processor<Finding, never> {
  return {
    process(findings) {
      ctx.counters.inc('responder_findings_received_total', findings.length);
      return [];
    },
    flush: () => [],
    close: () => [],
  };
}
