/**
 * What a trainer, the classifier's (trainer.ts) or the generative one's
 * (generative/gen-trainer.ts), needs from the worker that hosts it: a way to post its messages,
 * the data and a started backend. Node tests pass their own.
 */
import type { BackendChoice, BackendInfo } from './protocol';
import type { Mnist } from './mnist';

export interface TrainerHost<Message> {
  post(message: Message, transfer?: Transferable[]): void;
  loadData(): Promise<Mnist>;
  initBackend(choice: BackendChoice): Promise<BackendInfo>;
  /** Lets queued messages run; defaults to a macrotask hop. */
  yieldToEvents?(): Promise<void>;
  now?(): number;
}
