package io.jobline.api.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One HTTP/1.1 request on a plain socket, from a local address of the test's choosing (any 127.x.y.z reaches the
 * loopback service on Linux): what the JDK clients cannot do, connect as several client addresses, and be a client
 * that sends its request and then never reads.
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private int status;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** GET /api/jobs/stream as an EventSource sends it. */
    public static RawConnection sse(String baseUrl, String fromAddress) {
        return sse(baseUrl, fromAddress, Map.of());
    }

    /** The same with more headers. */
    public static RawConnection sse(String baseUrl, String fromAddress, Map<String, String> headers) {
        return open(baseUrl, fromAddress, 0, "GET /api/jobs/stream HTTP/1.1\r\nAccept: text/event-stream\r\n" + lines(headers));
    }

    /** The same, with a small receive buffer, so that a client that never reads stalls the server's writes soon. */
    public static RawConnection stalledSse(String baseUrl, String fromAddress, Map<String, String> headers) {
        return open(baseUrl, fromAddress, 4096, "GET /api/jobs/stream HTTP/1.1\r\nAccept: text/event-stream\r\n" + lines(headers));
    }

    /** A WebSocket handshake on /ws; {@code version} 13 is the only one servers accept. */
    public static RawConnection webSocket(String baseUrl, String fromAddress, int version, Map<String, String> headers) {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        return open(baseUrl, fromAddress, 0, "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: " + version + "\r\n" + lines(headers));
    }

    /** Any request without a body; a Host among {@code headers} stands in for the one of {@code baseUrl}. */
    public static RawConnection request(String baseUrl, String fromAddress, String method, String path,
                                        Map<String, String> headers) {
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        URI uri = URI.create(baseUrl);
        all.put("Host", uri.getHost() + ":" + uri.getPort());
        all.putAll(headers);
        return connect(uri, fromAddress, 0, method + " " + path + " HTTP/1.1\r\n" + lines(all) + "\r\n");
    }

    private static String lines(Map<String, String> headers) {
        StringBuilder lines = new StringBuilder();
        headers.forEach((name, value) -> lines.append(name).append(": ").append(value).append("\r\n"));
        return lines.toString();
    }

    private static RawConnection open(String baseUrl, String fromAddress, int receiveBuffer, String head) {
        URI uri = URI.create(baseUrl);
        return connect(uri, fromAddress, receiveBuffer, head + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n\r\n");
    }

    private static RawConnection connect(URI uri, String fromAddress, int receiveBuffer, String request) {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.bind(new InetSocketAddress(fromAddress, 0));
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new RawConnection(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the status line and the headers; returns the status. */
    public int status() {
        if (status == 0) {
            String[] lines = readUntil("\r\n\r\n", Duration.ofSeconds(30)).split("\r\n");
            status = Integer.parseInt(lines[0].split(" ")[1]);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
                }
            }
        }
        return status;
    }

    public String header(String name) {
        status();
        return headers.get(name);
    }

    /** The body of a response that has one (Content-Length or chunked). */
    public String body() {
        status();
        if (headers.containsKey("Content-Length")) {
            return new String(readBytes(Integer.parseInt(headers.get("Content-Length"))), StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(readUntil("\r\n", Duration.ofSeconds(30)).trim(), 16);
            body.writeBytes(readBytes(size + 2));
            if (size == 0) {
                return body.toString(StandardCharsets.UTF_8).trim();
            }
        }
    }

    /** Everything read until {@code marker} has come (included), as text. */
    public String readUntil(String marker, Duration timeout) {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        StringBuilder text = new StringBuilder();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // byte by byte, so that nothing after the marker is consumed; checked after each, it can only end there
            while (text.length() < marker.length() || text.lastIndexOf(marker) != text.length() - marker.length()) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("The server closed the connection before '" + marker + "'; read: " + text);
                }
                read.write(b);
                text.append((char) b);
            }
            return read.toString(StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("No '" + marker + "' within " + timeout + "; read: " + text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads (and drops) whatever is still on its way until the server's end of the connection; true when that came
     * within the timeout, as a closed stream or a reset.
     */
    public boolean closedByServerWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readBytes(int count) {
        try {
            socket.setSoTimeout(30_000);
            byte[] bytes = in.readNBytes(count);
            if (bytes.length < count) {
                throw new AssertionError("The server closed the connection after " + bytes.length + " of " + count + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test's connection: nothing to do about it
        }
    }
}
