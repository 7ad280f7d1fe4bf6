import * as z from 'zod';

/**
 * What CloudWatch publishes to SNS when an alarm changes state (the `Message` of each record, a
 * JSON string). Only the fields the halt reads are required; CloudWatch adds others over time.
 */
export const AlarmMessageSchema = z.object({
  AlarmName: z.string().min(1),
  AlarmArn: z.string().min(1),
  AlarmDescription: z.string().nullish(),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  NewStateReason: z.string(),
  // `2023-06-16T20:25:41.308+0000`: an offset without a colon, which z.iso.datetime refuses
  StateChangeTime: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not a time'),
  Trigger: z
    .object({
      MetricName: z.string().optional(),
      Threshold: z.number().optional(),
      ComparisonOperator: z.string().optional(),
    })
    .optional(),
});
export type AlarmMessage = z.infer<typeof AlarmMessageSchema>;

const jsonText = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
});

/** The SNS event Lambda receives from the breaker topic, each record's message parsed. */
export const AlarmEventSchema = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal('aws:sns'),
        Sns: z.object({ Message: jsonText.pipe(AlarmMessageSchema) }),
      }),
    )
    .min(1),
});

/** The alarms an SNS event carries (one a record; SNS sends Lambda one record at a time). */
export const alarmsOf = (event: z.infer<typeof AlarmEventSchema>): AlarmMessage[] =>
  event.Records.map((record) => record.Sns.Message);

/** When the alarm changed state, as the ISO instant (with `Z`) the trading-state document keeps. */
export const alarmTime = (alarm: AlarmMessage): string =>
  new Date(alarm.StateChangeTime).toISOString();

/**
 * The datapoint that tripped the alarm, read from CloudWatch's reason text
 * ("… datapoints [-2.4137 (16/06/23 20:20:00)] was less than …"); null when it names none.
 */
export function breachingValue(alarm: AlarmMessage): number | null {
  const match = /\[(-?\d+(?:\.\d+)?(?:E-?\d+)?) \(/i.exec(alarm.NewStateReason);
  return match ? Number(match[1]) : null;
}

/** Why the trading state is HALTED, in one line: the metric, its value, the threshold, CloudWatch's words. */
export function haltReason(alarm: AlarmMessage): string {
  const value = breachingValue(alarm);
  const metric = alarm.Trigger?.MetricName ?? 'the alarm metric';
  const threshold = alarm.Trigger?.Threshold;
  const reading =
    value === null
      ? `${metric} breached`
      : `${metric} ${value}${threshold === undefined ? '' : ` against a threshold of ${threshold}`}`;
  return `circuit breaker: ${reading} (${alarm.NewStateReason})`;
}
