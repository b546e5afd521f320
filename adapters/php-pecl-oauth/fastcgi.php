<?php
// A FastCGI client for one php-cgi child (FastCGI 1.0, responder role), written here because
// Debian packages no PHP FastCGI client library. adapter.php --variant provider runs every
// verify request through it, so OAuthProvider reads each request from a real web SAPI (php-cgi's
// cgi-fcgi) without a php-cgi process start per request.
//
// The child is `php-cgi -b SOCKET` with PHP_FCGI_CHILDREN=0 (it serves requests itself, one at a
// time) and PHP_FCGI_MAX_REQUESTS=0 (it never retires), listening on a Unix socket in a private
// directory. It stays in the adapter's process group, so the harness's kill of the group ends it;
// the adapter ends it itself when it exits normally or on SIGTERM, SIGINT or SIGHUP.

declare(strict_types=1);

final class FastCgiChild
{
    private const VERSION = 1;
    private const BEGIN_REQUEST = 1;
    private const END_REQUEST = 3;
    private const PARAMS = 4;
    private const STDIN = 5;
    private const STDOUT = 6;
    private const STDERR = 7;
    private const RESPONDER = 1;
    private const KEEP_CONN = 1;
    private const REQUEST_ID = 1;
    private const MAX_CONTENT = 65535;
    /** How long the child may take to listen, and to answer one request. */
    private const START_SECONDS = 10.0;
    private const ANSWER_SECONDS = 15;

    /** @var resource|null */
    private $process = null;
    /** @var resource|null */
    private $connection = null;
    private string $directory;
    private string $socket;

    /** @param list<string> $command php-cgi and its -d options; `-b SOCKET` is added. */
    public function __construct(private array $command)
    {
        $this->directory = sys_get_temp_dir() . '/pecl-oauth-fcgi-' . getmypid() . '-' . bin2hex(random_bytes(6));
        $this->socket = $this->directory . '/php-cgi.sock';
    }

    /**
     * One request: the CGI variables as FastCGI params, the body as stdin. Returns what the
     * script wrote on stdout (CGI headers, a blank line, the body) and on stderr; null when the
     * child went away without ending the request (it crashed), after which the next request
     * starts a new child.
     *
     * @param array<string, string> $params
     * @return array{stdout: string, stderr: string}|null
     */
    public function request(array $params, string $body): ?array
    {
        $connection = $this->connection();
        $records = self::record(self::BEGIN_REQUEST, pack('nCx5', self::RESPONDER, self::KEEP_CONN));
        $pairs = '';
        foreach ($params as $name => $value) {
            $pairs .= self::length(strlen($name)) . self::length(strlen($value)) . $name . $value;
        }
        $records .= self::stream(self::PARAMS, $pairs) . self::stream(self::STDIN, $body);
        if (!self::writeAll($connection, $records)) {
            $this->stop();
            return null;
        }
        $out = ['stdout' => '', 'stderr' => ''];
        while (true) {
            $header = self::readExactly($connection, 8);
            if ($header === null) {
                $this->stop();
                return null;
            }
            ['version' => $version, 'type' => $type, 'id' => $id, 'length' => $length, 'padding' => $padding]
                = unpack('Cversion/Ctype/nid/nlength/Cpadding', $header);
            $content = self::readExactly($connection, $length + $padding);
            if ($version !== self::VERSION || $content === null) {
                $this->stop();
                return null;
            }
            $content = substr($content, 0, $length);
            if ($id !== self::REQUEST_ID) {
                continue; // a management record (none is asked for): not this request's
            }
            if ($type === self::STDOUT) {
                $out['stdout'] .= $content;
            } elseif ($type === self::STDERR) {
                $out['stderr'] .= $content;
            } elseif ($type === self::END_REQUEST) {
                return $out;
            }
        }
    }

    /** Ends the child and removes its socket. */
    public function stop(): void
    {
        if (is_resource($this->connection)) {
            fclose($this->connection);
        }
        $this->connection = null;
        if (is_resource($this->process)) {
            proc_terminate($this->process, SIGKILL);
            proc_close($this->process);
        }
        $this->process = null;
        if (file_exists($this->socket)) {
            unlink($this->socket);
        }
        if (is_dir($this->directory)) {
            rmdir($this->directory);
        }
    }

    /** @return resource the open connection to a listening child, started when there is none */
    private function connection()
    {
        if (is_resource($this->connection)) {
            return $this->connection;
        }
        $this->stop();
        if (!mkdir($this->directory, 0700)) {
            throw new RuntimeException("cannot create {$this->directory} for php-cgi's socket");
        }
        $env = ['PATH' => (string)getenv('PATH'), 'PHP_FCGI_CHILDREN' => '0', 'PHP_FCGI_MAX_REQUESTS' => '0'];
        // stdout goes to stderr too: nothing the child prints may reach the protocol stream.
        $process = proc_open([...$this->command, '-b', $this->socket], [0 => ['file', '/dev/null', 'r'], 1 => STDERR, 2 => STDERR], $pipes, __DIR__, $env);
        if (!is_resource($process)) {
            throw new RuntimeException('cannot start php-cgi -b ' . $this->socket);
        }
        $this->process = $process;
        $deadline = microtime(true) + self::START_SECONDS;
        while (true) {
            $connection = file_exists($this->socket) ? @stream_socket_client('unix://' . $this->socket, $code, $message, 1.0) : false;
            if (is_resource($connection)) {
                stream_set_timeout($connection, self::ANSWER_SECONDS);
                return $this->connection = $connection;
            }
            if (!proc_get_status($process)['running'] || microtime(true) > $deadline) {
                $this->stop();
                throw new RuntimeException('php-cgi -b did not listen on ' . $this->socket);
            }
            usleep(5000);
        }
    }

    private static function record(int $type, string $content): string
    {
        return pack('CCnnCx', self::VERSION, $type, self::REQUEST_ID, strlen($content), 0) . $content;
    }

    /** A stream's records: its content in pieces a record can hold, then the empty record that ends it. */
    private static function stream(int $type, string $content): string
    {
        $records = '';
        foreach (str_split($content, self::MAX_CONTENT) as $piece) {
            if ($piece !== '') {
                $records .= self::record($type, $piece);
            }
        }
        return $records . self::record($type, '');
    }

    /** A name or value length: one octet below 128, else four with the top bit set. */
    private static function length(int $length): string
    {
        return $length < 128 ? chr($length) : pack('N', $length | 0x80000000);
    }

    /** @param resource $connection */
    private static function writeAll($connection, string $data): bool
    {
        while ($data !== '') {
            $written = @fwrite($connection, $data);
            if ($written === false || $written === 0) {
                return false;
            }
            $data = substr($data, $written);
        }
        return true;
    }

    /** @param resource $connection */
    private static function readExactly($connection, int $length): ?string
    {
        $data = '';
        while (strlen($data) < $length) {
            $piece = @fread($connection, $length - strlen($data));
            if ($piece === false || $piece === '' && (feof($connection) || stream_get_meta_data($connection)['timed_out'])) {
                return null;
            }
            $data .= $piece;
        }
        return $data;
    }
}
