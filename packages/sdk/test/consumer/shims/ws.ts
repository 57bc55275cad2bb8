// Just enough of `ws` for seed 002's WebSocket snippet, in memory: the tests play the browser by
// emitting 'connection' and 'message' and reading what the server sent.
import { EventEmitter } from 'node:events';

type Listener = Parameters<EventEmitter['on']>[1];

/** One connected client, as the server sees it. */
export class FakeSocket extends EventEmitter {
  readonly sent: string[] = [];
  send(data: string): void {
    this.sent.push(data);
    this.emit('sent', data);
  }
  override on(event: 'message', listener: (message: Buffer) => void): this;
  override on(event: string, listener: Listener): this;
  override on(event: string, listener: Listener): this {
    return super.on(event, listener);
  }
}

class Server extends EventEmitter {
  constructor(readonly options: { port: number }) {
    super();
    servers.push(this);
  }
  override on(event: 'connection', listener: (ws: FakeSocket) => void): this;
  override on(event: string, listener: Listener): this;
  override on(event: string, listener: Listener): this {
    return super.on(event, listener);
  }
}

/** Every server the snippets made. */
export const servers: Server[] = [];

const WebSocket = { Server };
export default WebSocket;
