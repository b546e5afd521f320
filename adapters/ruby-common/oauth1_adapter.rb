# frozen_string_literal: true

# The protocol loop shared by the Ruby adapters (adapters/PROTOCOL.md, version 1): JSON lines on
# stdin/stdout, a `start` handshake, one answer per request in request order, exit on `stop` or
# end of file. Each adapter supplies its implementation description and one handler per operation;
# this file never touches an OAuth library.

require 'json'

module OAuth1Adapter
  PROTOCOL = 1

  # The library refused the input: it raised inside a library call. Answered as `rejected`.
  class Rejected < StandardError
    attr_reader :reason

    def initialize(message, reason = nil)
      super(message)
      @reason = reason
    end
  end

  # The input cannot be expressed through the library's API: answered `unsupported` (the harness
  # skips the case, with this message as the reason).
  class Unsupported < StandardError; end

  # A stage the library produced cannot travel in JSON (octets that are not UTF-8).
  class UnrepresentableOutput < StandardError; end

  # Runs a call into the library; whatever it raises is its refusal of the input. Ruby libraries
  # raise outside StandardError too (NotImplementedError, OAuth::Signature::UnknownSignatureMethod
  # < Exception, SystemStackError), so everything but a signal or an exit counts.
  def self.library
    yield
  rescue SignalException, SystemExit, Rejected, Unsupported
    raise
  rescue Exception => e # rubocop:disable Lint/RescueException
    raise Rejected, "#{e.class}: #{e.message}".scrub
  end

  # Strings as UTF-8 for JSON; a value whose octets are not UTF-8 cannot be reported truthfully.
  def self.utf8(value, where = 'value')
    case value
    when String
      text = value.dup.force_encoding(Encoding::UTF_8)
      raise UnrepresentableOutput, "#{where} is not UTF-8: #{text.inspect}" unless text.valid_encoding?

      text
    when Hash then value.to_h { |k, v| [utf8(k, where), utf8(v, "#{where}.#{k}")] }
    when Array then value.each_with_index.map { |v, i| utf8(v, "#{where}[#{i}]") }
    else value
    end
  end

  # Records the values a library's methods return while one request is served (the adapters prepend
  # modules to the library that report here); outside `during` nothing is kept.
  class StageRecorder
    def initialize
      @values = nil
    end

    def record(stage, value)
      @values[stage] = value if @values
      value
    end

    def during
      @values = {}
      yield
      @values
    ensure
      @values = nil
    end
  end

  # The library's option for each of the case's extra protocol parameters, from the names it knows.
  def self.extra_options(oauth, known, library)
    (oauth['extra'] || {}).to_h do |name, value|
      option = known[name] or
        raise Unsupported, "#{library} only sends #{known.keys.join(', ')} as extra protocol parameters; cannot send #{name}"
      [option, value]
    end
  end

  # The installed version of a Debian package, for the handshake's `version`.
  def self.debian_version(package)
    version = IO.popen(['dpkg-query', '-W', '-f=${Version}', package], err: File::NULL, &:read)
    version.empty? ? 'not installed' : version
  rescue SystemCallError
    'unknown (no dpkg-query)'
  end

  # The version in the installed gem's specification (Debian ships them under rubygems-integration).
  def self.gem_version(name)
    Gem::Specification.find_by_name(name).version.to_s
  rescue Gem::MissingSpecError
    'unknown (no gem specification)'
  end

  # The handshake's `implementation` object of a Ruby adapter (rejection reasons are never reported).
  def self.implementation(name, version, operations:, signature_methods:, stages:, can_omit_version:, body_hash:, notes:,
                          limits: nil)
    capabilities = { operations: operations, signature_methods: signature_methods, stages: stages,
                     can_omit_version: can_omit_version, body_hash: body_hash, reports_rejection_reasons: false,
                     notes: notes }
    capabilities[:limits] = limits unless limits.nil?
    { name: name, version: version, language: 'ruby', capabilities: capabilities }.freeze
  end

  # Serves an adapter module: its IMPLEMENTATION, and one module function per declared operation,
  # named after it (sign, parse_header, verify).
  def self.serve_module(adapter)
    implementation = adapter::IMPLEMENTATION
    serve(implementation, implementation[:capabilities][:operations].to_h { |operation| [operation, adapter.method(operation)] })
  end

  # Serves the protocol until `stop` or end of file.
  #   implementation: the `implementation` object of the handshake (name, version, language,
  #                   capabilities)
  #   handlers:       {"sign" => ->(request) { result }, "parse_header" => ..., "verify" => ...}
  def self.serve(implementation, handlers)
    out = $stdout.dup
    out.binmode
    # Whatever else writes to standard output (a stray `puts` in a library, a C extension) goes to
    # stderr: it must never corrupt the protocol stream.
    $stdout.reopen($stderr)
    $stdin.binmode
    started = false
    $stdin.each_line do |line|
      message = parse(line)
      if started && message.is_a?(Hash) && message['cmd'] == 'stop'
        out.write("{\"ok\":true}\n")
        break
      end

      answer = started ? dispatch(message, handlers) : handshake(message, implementation)
      out.write("#{answer}\n")
      out.flush
      break unless started || answer.start_with?('{"ok":true')

      started = true
    end
    out.flush
  end

  def self.parse(line)
    JSON.parse(line.force_encoding(Encoding::UTF_8))
  rescue JSON::ParserError => e
    { 'cmd' => nil, 'unparsable' => e.message }
  end

  def self.handshake(message, implementation)
    unless message.is_a?(Hash) && message['cmd'] == 'start' && message['protocol'] == PROTOCOL
      return JSON.generate({ ok: false, error: "expected {\"cmd\":\"start\",\"protocol\":#{PROTOCOL}}, got #{message.inspect}" })
    end

    JSON.generate({ ok: true, protocol: PROTOCOL, implementation: implementation })
  end

  def self.dispatch(message, handlers)
    id = message.is_a?(Hash) ? message['id'] : nil
    handler = message.is_a?(Hash) ? handlers[message['cmd']] : nil
    if handler.nil?
      return JSON.generate({ id: id, error: { message: "unsupported command #{message.is_a?(Hash) ? message['cmd'].inspect : message.inspect}" } })
    end

    begin
      JSON.generate({ id: id, result: utf8(handler.call(message), 'result') })
    rescue Rejected => e
      JSON.generate({ id: id, rejected: { reason: e.reason, message: e.message.scrub } })
    rescue Unsupported => e
      JSON.generate({ id: id, unsupported: { message: e.message.scrub } })
    rescue StandardError, ScriptError, SystemStackError => e
      JSON.generate({ id: id, error: { message: "adapter failed: #{e.class}: #{e.message}".scrub,
                                       context: (e.backtrace || []).first(20).join("\n").scrub } })
    end
  end
end
