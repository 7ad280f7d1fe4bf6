import { createRequire } from 'node:module';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../cdk.json' with { type: 'json' };
import type { AppSettings } from '../../infra/stacks/settings.js';
import { addTradingBot } from '../../infra/stacks/trading-bot.js';

/** Settings as the defaults of the context give them, plus an alert address. */
export const TEST_SETTINGS: AppSettings = {
  schedule: { hour: 16, minute: 15 },
  dailyLossPercent: -2,
  equityProbeMinutes: 15,
  alertEmail: 'owner@example.com',
  tradingConfig: '{}',
  sesIdentities: ['bot@example.com', 'owner@example.com'],
  tracing: true,
};

/** A fresh app with cdk.json's context; bundling and CloudFormation validation skipped. */
export function testApp(): App {
  return new App({
    builtinCloudFormationValidation: false, // Seconds per synth, and the assertions cover it
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
  });
}

/** Both stacks' templates, synthesized once. */
export function synthTradingBot(settings: Partial<AppSettings> = {}) {
  const { data, trading } = addTradingBot(testApp(), { ...TEST_SETTINGS, ...settings });
  return { data: Template.fromStack(data), trading: Template.fromStack(trading) };
}

/** The resources of one type in a template, by logical id. */
export function resourcesOf(template: Template, type: string) {
  // biome-ignore lint/suspicious/noExplicitAny: template JSON, read path by path in assertions
  return template.findResources(type) as Record<string, { Properties: Record<string, any> }>;
}

// asl-validator ships no types
export const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options: { checkArn: boolean; checkPaths: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
