import './promise-with-resolvers.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
// aws-cdk-lib/core, not the package root, here and in the constructs a local run loads: the root
// re-exports every service module: importing it took 454-481 ms against core's 237-258 ms in a
// fresh process, and 681-700 against 304-342 ms under tsx (npm start), at load 2-3
import { App, Stack } from 'aws-cdk-lib/core';
import type { StateMachine } from 'aws-local-stepfunctions';
import { TradingWorkflow } from './constructs/trading-workflow.js';
import { WORKFLOW_FUNCTIONS, type WorkflowFunction } from './constructs/workflow-functions.js';

/** The ASL that aws-local-stepfunctions' `new StateMachine(definition)` accepts. */
export type LocalDefinition = ConstructorParameters<typeof StateMachine>[0];

const FAKE_ARN_PREFIX = 'arn:aws:lambda:us-east-1:123456789012:function:';

/** The deployed workflow's ASL, resolved to run locally, and which function each Task state invokes. */
export function localWorkflowDefinition(): {
  definition: LocalDefinition;
  taskStates: string[];
  tasks: Record<string, WorkflowFunction>;
} {
  const template = synthesizeLocally('LocalTradingWorkflow', (stack) => {
    const functions = Object.fromEntries(
      WORKFLOW_FUNCTIONS.map((name) => [
        name,
        LambdaFunction.fromFunctionArn(stack, name, `${FAKE_ARN_PREFIX}${name}`),
      ]),
    ) as Record<WorkflowFunction, IFunction>;
    new TradingWorkflow(stack, 'Workflow', { functions });
  });
  const definition = definitionFromTemplate(template);
  const tasks = taskFunctions(definition);
  return { definition, taskStates: Object.keys(tasks), tasks };
}

/** The template of one stack that `build` fills, synthesized fast and without bundling. */
export function synthesizeLocally(name: string, build: (stack: Stack) => void): unknown {
  // Our own directory, removed after: App's default temporary one would be left behind
  const outdir = mkdtempSync(join(tmpdir(), `${name}-`));
  try {
    const app = new App({
      outdir,
      // CloudFormation validation costs seconds (3-19 s measured) and checks nothing run locally
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const stack = new Stack(app, name);
    build(stack);
    return app.synth().getStackByName(stack.stackName).template;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: { DefinitionString?: unknown } }>;
}

/** The one state machine's definition in a synthesized template, its Ref and GetAtt made fake ARNs. */
export function definitionFromTemplate(template: unknown): LocalDefinition {
  const stateMachines = Object.values((template as CfnTemplate).Resources).filter(
    (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
  );
  const definitionString = stateMachines[0]?.Properties?.DefinitionString;
  if (stateMachines.length !== 1 || definitionString === undefined) {
    throw new Error(`expected one state machine, found ${stateMachines.length}`);
  }
  return JSON.parse(resolveIntrinsics(definitionString)) as LocalDefinition;
}

// CDK renders the definition as a string or an Fn::Join of strings and Ref/GetAtt tokens
function resolveIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveIntrinsics).join(separator);
  }
  if (node['Ref'] === 'AWS::Partition') return 'aws';
  if (node['Ref'] === 'AWS::Region') return 'us-east-1';
  if (node['Ref'] === 'AWS::AccountId') return '123456789012';
  // Another stack's export (the backtest stack names the data stack's bucket)
  if (typeof node['Fn::ImportValue'] === 'string') return `imported-${node['Fn::ImportValue']}`;
  const logicalId = 'Ref' in node ? node['Ref'] : (node['Fn::GetAtt'] as [string])?.[0];
  if (typeof logicalId === 'string') return `${FAKE_ARN_PREFIX}${logicalId}`;
  throw new Error(`cannot resolve ${JSON.stringify(value)} in the state machine definition`);
}

// Read back from the Resource ARNs, so a renamed or rewired state cannot drift from this table
function taskFunctions(definition: LocalDefinition): Record<string, WorkflowFunction> {
  const tasks: Record<string, WorkflowFunction> = {};
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const fn = WORKFLOW_FUNCTIONS.find((name) => state.Resource === `${FAKE_ARN_PREFIX}${name}`);
    if (fn === undefined) {
      throw new Error(`task ${stateName} invokes ${state.Resource}, not a workflow function`);
    }
    tasks[stateName] = fn;
  }
  return tasks;
}
