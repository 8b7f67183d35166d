/** A fake TrainerPort that records what the store sends and lets a test play worker messages. */
import type { TrainerPort } from '../../src/train/client';
import type { FromWorker, ToWorker } from '../../src/train/protocol';

/** Records posted messages; `emit` delivers a message as if the worker had sent it. */
export function fakeTrainer(): TrainerPort & { sent: ToWorker[]; emit(message: FromWorker): void } {
  let listener: (message: FromWorker) => void = () => {};
  const sent: ToWorker[] = [];
  return {
    sent,
    post: (message) => sent.push(message),
    listen: (next) => (listener = next),
    emit: (message) => listener(message),
  };
}
