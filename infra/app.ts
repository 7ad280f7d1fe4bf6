import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings } from './stacks/settings.js';
import { addTradingBot } from './stacks/trading-bot.js';

// Environment-agnostic (no account or region): the synth needs no credentials and no lookups
const app = new App();
// A finding fails the synth; each acknowledgement sits beside the resource it concerns
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
addTradingBot(app, await readSettings(app.node));
