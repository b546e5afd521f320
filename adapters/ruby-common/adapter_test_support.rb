# frozen_string_literal: true

# What the Ruby adapters' tests share: starting an adapter as the harness does (one process, every
# message written at once, as pipelined requests), the corpus's cases as protocol requests (inputs
# only), and the protocol checks every adapter must pass (ProtocolTests).

require 'json'
require 'open3'

module AdapterTestSupport
  ROOT = File.expand_path('../..', __dir__)

  def self.corpus_case(id)
    Dir.glob(File.join(ROOT, 'vectors', '*.json')).sort.each do |path|
      next if File.basename(path) == 'schema.json'

      found = JSON.parse(File.read(path))['cases'].find { |kase| kase['id'] == id }
      return found if found
    end
    raise ArgumentError, "no case #{id} in vectors/"
  end

  # The protocol request for a corpus case: its inputs, never its expected values.
  def self.request_for(kase, id)
    case kase['kind']
    when 'sign' then { cmd: 'sign', id: id, request: kase['request'], oauth: kase['oauth'], secrets: kase['secrets'] }
    when 'parse_header' then { cmd: 'parse_header', id: id, header: kase['header'] }
    else { cmd: 'verify', id: id, request: kase['request'], secrets: kase['secrets'], now: kase['now'] }
    end
  end

  # Runs the adapter on the messages; returns [exit status, answer lines parsed, stderr].
  def self.session(adapter, messages)
    input = messages.map { |message| "#{JSON.generate(message)}\n" }.join
    stdout, stderr, status = Open3.capture3(RbConfig.ruby, adapter, stdin_data: input, chdir: ROOT)
    [status, stdout.lines.map { |line| JSON.parse(line) }, stderr]
  end

  START = { cmd: 'start', protocol: 1 }.freeze
  STOP = { cmd: 'stop' }.freeze

  # The answer to one corpus case, in a session of its own.
  def self.answer(adapter, case_id)
    status, lines, stderr = session(adapter, [START, request_for(corpus_case(case_id), 1), STOP])
    raise "adapter exited with #{status.exitstatus}: #{stderr}" unless status.success?

    lines[1]
  end

  # The trace of a sign answer to a corpus case, with the case.
  def self.signed(adapter, case_id)
    [corpus_case(case_id), answer(adapter, case_id).fetch('result').fetch('trace')]
  end

  # The base class of an adapter's tests: the adapter is adapter.rb in `folder`, serving `row`; the
  # protocol checks (ProtocolTests) come with it. The base itself runs no tests.
  def self.test_case(row, folder)
    Class.new(Minitest::Test) do
      include ProtocolTests
      const_set(:ADAPTER, File.join(folder, 'adapter.rb'))
      const_set(:ROW, row)
      def self.runnable_methods = name ? super : []
    end
  end

  # The checks of adapters/PROTOCOL.md every adapter passes; the test class defines ADAPTER (the
  # adapter's path) and ROW (its row name).
  module ProtocolTests
    def adapter = self.class::ADAPTER

    def test_handshake_names_the_row_and_declares_capabilities
      status, lines, stderr = AdapterTestSupport.session(adapter, [START, STOP])
      assert status.success?, stderr
      assert_equal 2, lines.length
      handshake = lines.first
      assert_equal [true, 1], [handshake['ok'], handshake['protocol']]
      implementation = handshake['implementation']
      assert_equal self.class::ROW, implementation['name']
      assert_equal 'ruby', implementation['language']
      assert_match(/Debian/, implementation['version'])
      capabilities = implementation['capabilities']
      assert_empty capabilities['operations'] - %w[sign parse_header verify]
      assert_includes capabilities['signature_methods'], 'HMAC-SHA1'
      assert_equal({ 'ok' => true }, lines.last)
    end

    # RFC 5849 §3.4.1 with oauth_version=1.0: the signature of errata 2550 and the published stages
    # the adapter reports (for the libraries that get it right).
    def assert_rfc5849_3_4_1_with_version(stages)
      kase, trace = AdapterTestSupport.signed(adapter, 'rfc5849-3.4.1-hmac-sha1-with-version')
      assert_equal 'OB33pYjWAnf+xtOHN4Gmbdil168=', trace['signature']
      stages.each { |stage| assert_equal kase['expected'][stage], trace[stage], stage }
      trace
    end

    # The verifier accepts a corpus request and rejects another.
    def assert_verify(accepted_case, rejected_case)
      assert_equal({ 'accepted' => true }, AdapterTestSupport.answer(adapter, accepted_case)['result'])
      assert AdapterTestSupport.answer(adapter, rejected_case).key?('rejected')
    end

    def test_exits_at_end_of_input_without_stop
      status, lines, stderr = AdapterTestSupport.session(adapter, [START])
      assert status.success?, stderr
      assert_equal 1, lines.length
    end

    def test_refuses_another_protocol
      _, lines, = AdapterTestSupport.session(adapter, [{ cmd: 'start', protocol: 2 }])
      assert_equal false, lines.first['ok']
    end

    def test_answers_pipelined_requests_in_order_and_survives_bad_ones
      messages = [START, { cmd: 'frobnicate', id: 7 }, { cmd: 'sign', id: 8 }, 'not an object',
                  AdapterTestSupport.request_for(AdapterTestSupport.corpus_case('rfc5849-3.4.1-hmac-sha1-with-version'), 9), STOP]
      status, lines, stderr = AdapterTestSupport.session(adapter, messages)
      assert status.success?, stderr
      assert_equal [7, 8, nil, 9], lines[1..4].map { |line| line['id'] }
      lines[1..3].each { |line| assert line.key?('error'), line.inspect }
      assert lines[4].key?('result') || lines[4].key?('error'), lines[4].inspect
    end
  end
end
