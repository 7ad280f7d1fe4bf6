import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  Cluster,
  type ContainerDefinition,
  ContainerImage,
  CpuArchitecture,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
} from 'aws-cdk-lib/aws-ecs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PROJECT_ROOT } from './step-function.js';

/** Props of the backtests' Fargate side. */
export interface BacktestTaskProps {
  /** The bucket and key prefix of the specs, the data folder and the runs */
  readonly bucketName: string;
  readonly prefix: string;
  /**
   * The container image. @default the repository's Dockerfile, built at `cdk deploy` (the synth
   * only stages the folder); the local runner passes a stand-in, as it never runs the image
   */
  readonly image?: ContainerImage;
}

// Two vCPUs, one worker thread each (Fargate's os.availableParallelism() reports the host's cores);
// 4 GB is the least Fargate pairs with 2 vCPUs and holds two workers' copies of the history
const VCPUS = 2;
const MEMORY_MIB = 4096;

/**
 * Where a shard runs: a VPC with public subnets only (no NAT gateway, ~$33 a month, 30x the rest
 * of the bot), an ECS cluster, and the task definition of functions/backtest-task/main.ts.
 */
export class BacktestTask extends Construct {
  readonly vpc: Vpc;
  readonly cluster: Cluster;
  readonly taskDefinition: FargateTaskDefinition;
  readonly container: ContainerDefinition;
  /** No ingress: the task only calls out, to S3 (through the free gateway endpoint) and ECR */
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: BacktestTaskProps) {
    super(scope, id);
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
    });
    // Objects travel to S3 inside AWS's network, free of charge; the image pull goes out the
    // internet gateway (ECR's interface endpoints would cost ~$15 a month each)
    this.vpc.addGatewayEndpoint('S3', { service: GatewayVpcEndpointAwsService.S3 });
    // Rejected packets only: the tasks accept no connection, so these are the probes worth seeing
    this.vpc.addFlowLog('RejectedTraffic', {
      trafficType: FlowLogTrafficType.REJECT,
      destination: FlowLogDestination.toCloudWatchLogs(
        new LogGroup(this, 'FlowLogs', {
          retention: RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
      ),
    });
    this.securityGroup = new SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'Backtest shards: outbound HTTPS to S3 and ECR, no inbound',
      allowAllOutbound: true,
    });

    this.cluster = new Cluster(this, 'Cluster', { vpc: this.vpc });
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-ECS4',
      reason:
        'Container Insights bills custom metrics for a cluster that runs a handful of minutes-long ' +
        'tasks a month; each task logs to CloudWatch and the state machine records its outcome',
    });

    this.taskDefinition = new FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: VCPUS * 1024,
      memoryLimitMiB: MEMORY_MIB,
      // Graviton is 20 % cheaper a vCPU-hour; the Dockerfile bundles in a native build stage, so
      // an x86 machine builds the arm64 image without emulating a single RUN step
      runtimePlatform: {
        cpuArchitecture: CpuArchitecture.ARM64,
        operatingSystemFamily: OperatingSystemFamily.LINUX,
      },
    });
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.container = this.taskDefinition.addContainer('shard', {
      image:
        props.image ??
        ContainerImage.fromAsset(PROJECT_ROOT, {
          file: 'Dockerfile',
          platform: Platform.LINUX_ARM64,
        }),
      logging: LogDrivers.awsLogs({ logGroup, streamPrefix: 'shard' }),
      // What every run shares; each Map iteration adds SPEC_KEY, SHARD and RUN_PREFIX
      environment: {
        BACKTEST_BUCKET: props.bucketName,
        BACKTEST_PREFIX: props.prefix,
        WORKERS: String(VCPUS),
      },
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The environment holds the bucket name, its key prefix and a worker count: no secret, and ' +
        'the task reads nothing secret',
    });
  }
}
