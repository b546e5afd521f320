# frozen_string_literal: true

# A one-request HTTP/1.1 server on 127.0.0.1 (a port the system picks), for the reproductions of
# client findings: the library and its HTTP stack send the request here, and the program compares
# what arrived with what RFC 5849 requires. Ruby's standard library only. Bounded: it waits
# TIMEOUT seconds for the connection and for the request, reads at most MAX_BYTES, and its thread
# ends with the request (or is killed when the program's block returns).
require 'io/wait'
require 'socket'

module Loopback
  TIMEOUT = 10
  MAX_BYTES = 1 << 20

  Received = Struct.new(:method, :target, :headers, :body, keyword_init: true) do
    # The value of the first header field named `name` (case-insensitive), or nil.
    def header(name)
      headers.find { |n, _| n.casecmp?(name) }&.last
    end

    # The query of the request target as sent (nil without one).
    def query
      target.include?('?') ? target.split('?', 2).last : nil
    end
  end

  # Yields the server's base URL (`http://127.0.0.1:PORT`) to the block, which makes the library
  # send one request there; returns that request as Received. Raises when none arrives in time.
  def self.capture
    server = TCPServer.new('127.0.0.1', 0)
    thread = Thread.new { serve_one(server) }
    thread.report_on_exception = false
    yield "http://127.0.0.1:#{server.addr[1]}"
    raise "no request reached the loopback server within #{TIMEOUT} s" unless thread.join(TIMEOUT)

    thread.value
  ensure
    thread&.kill
    server&.close
  end

  def self.serve_one(server)
    raise "nothing connected within #{TIMEOUT} s" unless server.wait_readable(TIMEOUT)

    connection = server.accept
    deadline = Time.now + TIMEOUT
    buffer = read_until(connection, deadline) { |data| data.include?("\r\n\r\n") }
    head, body = buffer.split("\r\n\r\n", 2)
    request_line, *fields = head.split("\r\n")
    method, target = request_line.split(' ', 3)
    headers = fields.map { |line| line.split(':', 2).map(&:strip) }
    length = headers.find { |n, _| n.casecmp?('Content-Length') }&.last.to_i
    raise "Content-Length #{length} is over #{MAX_BYTES} bytes" if length > MAX_BYTES

    body = read_until(connection, deadline, body.to_s) { |data| data.bytesize >= length }
    connection.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    Received.new(method: method, target: target, headers: headers, body: body)
  ensure
    connection&.close
  end

  # Reads from `connection` onto `data` until the block is true of it; raises at the deadline, at
  # MAX_BYTES, or when the peer closes first.
  def self.read_until(connection, deadline, data = +'')
    data = data.b
    until yield data
      left = deadline - Time.now
      raise "the request did not arrive in full within #{TIMEOUT} s" if left <= 0 || !connection.wait_readable(left)

      data << connection.readpartial(65_536)
      raise "the request is over #{MAX_BYTES} bytes" if data.bytesize > MAX_BYTES
    end
    data
  rescue EOFError
    raise 'the client closed the connection before the request was complete'
  end
end
