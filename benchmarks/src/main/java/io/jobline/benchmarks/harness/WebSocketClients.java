package io.jobline.benchmarks.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Many WebSocket clients on one selector thread: the handshake of RFC 6455, unmasked text frames from the server
 * (continuations joined), pings answered, and masked text frames to it. Each whole text message goes to the
 * client's handler with the wall-clock millisecond it was read. A load generator of this kind costs the machine a
 * fraction of what {@code java.net.http.WebSocket} does (its selector and executor hand-offs for every message),
 * which matters when 100 clients receive 100,000 messages a second on the same two cores as the service.
 */
final class WebSocketClients implements AutoCloseable {

    interface Handler {
        void onText(String message, long receivedAtMillis);
    }

    private static final int OP_CONTINUATION = 0;
    private static final int OP_TEXT = 1;
    private static final int OP_CLOSE = 8;
    private static final int OP_PING = 9;

    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final Thread reader;
    private volatile boolean open = true;

    WebSocketClients(URI uri, List<Handler> handlers) throws IOException {
        selector = Selector.open();
        for (Handler handler : handlers) {
            connections.add(Connection.open(uri, handler));
        }
        for (Connection connection : connections) {
            connection.channel.configureBlocking(false);
            connection.channel.register(selector, SelectionKey.OP_READ, connection);
        }
        reader = new Thread(this::readLoop, "websocket-clients");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends a text message on every connection. */
    void sendToAll(String text) throws IOException {
        for (Connection connection : connections) {
            connection.sendText(text);
        }
    }

    private void readLoop() {
        try {
            while (open) {
                selector.select(100);
                long now = System.currentTimeMillis();
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    try {
                        if (!connection.readAvailable(now)) {
                            key.cancel();
                        }
                    } catch (IOException e) {
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (open) {
                throw new IllegalStateException("WebSocket clients' selector failed", e);
            }
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            reader.join(1_000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Connection connection : connections) {
            try {
                connection.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static final class Connection {
        final SocketChannel channel;
        private final Handler handler;
        private ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        private final StringBuilder message = new StringBuilder();

        private Connection(SocketChannel channel, Handler handler, ByteBuffer leftover) {
            this.channel = channel;
            this.handler = handler;
            in.put(leftover);
        }

        /** Connects and completes the opening handshake, blocking. */
        static Connection open(URI uri, Handler handler) throws IOException {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
            channel.socket().setTcpNoDelay(true);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String request = "GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            writeFully(channel, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer response = ByteBuffer.allocate(8 * 1024);
            int headersEnd;
            while ((headersEnd = headersEnd(response)) < 0) {
                if (channel.read(response) < 0 || !response.hasRemaining()) {
                    throw new IOException("WebSocket handshake: no complete answer");
                }
            }
            String headers = new String(response.array(), 0, headersEnd, StandardCharsets.US_ASCII);
            if (!headers.startsWith("HTTP/1.1 101")) {
                throw new IOException("WebSocket handshake refused: " + headers.lines().findFirst().orElse(""));
            }
            ByteBuffer leftover = ByteBuffer.wrap(response.array(), headersEnd, response.position() - headersEnd);
            return new Connection(channel, handler, leftover);
        }

        private static int headersEnd(ByteBuffer buffer) {
            byte[] a = buffer.array();
            for (int i = 3; i < buffer.position(); i++) {
                if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
                    return i + 1;
                }
            }
            return -1;
        }

        /** Reads what the socket has and hands over every complete message; false once the connection ended. */
        boolean readAvailable(long now) throws IOException {
            int read;
            boolean open = true;
            while ((read = channel.read(in)) > 0) {
                if (!in.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
            }
            if (read < 0) {
                open = false;
            }
            in.flip();
            while (open && frame(now)) {
                // one frame handled per pass
            }
            in.compact();
            return open;
        }

        /** Handles one complete frame at the buffer's position, or returns false when it is not all there yet. */
        private boolean frame(long now) throws IOException {
            if (in.remaining() < 2) {
                return false;
            }
            int start = in.position();
            int b0 = in.get(start) & 0xff;
            int b1 = in.get(start + 1) & 0xff;
            int header = 2;
            long length = b1 & 0x7f;
            if (length == 126) {
                if (in.remaining() < 4) {
                    return false;
                }
                length = in.getShort(start + 2) & 0xffff;
                header = 4;
            } else if (length == 127) {
                if (in.remaining() < 10) {
                    return false;
                }
                length = in.getLong(start + 2);
                header = 10;
            }
            if (in.remaining() < header + length) {
                return false;
            }
            int payload = start + header;
            int opcode = b0 & 0x0f;
            boolean fin = (b0 & 0x80) != 0;
            if (opcode == OP_TEXT || opcode == OP_CONTINUATION) {
                message.append(new String(in.array(), payload, (int) length, StandardCharsets.UTF_8));
                if (fin) {
                    handler.onText(message.toString(), now);
                    message.setLength(0);
                }
            } else if (opcode == OP_PING) {
                byte[] data = new byte[(int) length];
                in.get(payload, data);
                send(0x8A, data);
            } else if (opcode == OP_CLOSE) {
                in.position(payload + (int) length);
                throw new IOException("the server closed the WebSocket");
            }
            in.position(payload + (int) length);
            return true;
        }

        synchronized void sendText(String text) throws IOException {
            send(0x81, text.getBytes(StandardCharsets.UTF_8));
        }

        /** A client frame: masked, as RFC 6455 requires. Small frames only (under 64 KiB). */
        private synchronized void send(int firstByte, byte[] data) throws IOException {
            ByteBuffer frame = ByteBuffer.allocate(8 + data.length);
            frame.put((byte) firstByte);
            if (data.length < 126) {
                frame.put((byte) (0x80 | data.length));
            } else {
                frame.put((byte) (0x80 | 126)).putShort((short) data.length);
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.put(mask);
            for (int i = 0; i < data.length; i++) {
                frame.put((byte) (data[i] ^ mask[i & 3]));
            }
            frame.flip();
            writeFully(channel, frame);
        }

        private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
