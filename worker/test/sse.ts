import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';

/** Every server-sent event of a response, in order, until the stream ends. */
export async function readEvents(res: Response): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    events.push(value);
  }
}
