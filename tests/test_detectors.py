"""Each detector against payloads it must redact and payloads it must leave alone (one table row per case)."""

from __future__ import annotations

import re

import pytest

from loglens.detectors import (
    DETECTORS,
    KINDS,
    PLACEHOLDER,
    PUBLIC_DETECTORS,
    STRICT_DETECTORS,
    Detector,
    DetectorSet,
    is_asset_file,
    is_empty_word,
    is_local_address,
    is_shared_profile,
    is_version_number,
    json_string_values,
    mask,
)
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="guest-4f2a9c61e0b7", room="lobby-7", exp=1_935_000_000, nbf=1_750_000_000)
NODE_TOKEN = mint_token(identity="player-42", room="lobby-8", exp=1_935_000_000, nbf=1_750_000_000, node_style=True)
KEY = "0f3c9a7e21b84d6590ce1a2b3c4d5e6f"  # 32 lowercase hex, the shape of a Convai API key
SIGNATURE = TOKEN.rsplit(".", 1)[1]

# (kind, text, the values that must come out of it)
MUST_REDACT: list[tuple[str, str, tuple[str, ...]]] = [
    # --- LiveKit tokens
    ("livekit-token", f"[Debug][Transport]: Token: {TOKEN}; Room Name: lobby-7", (TOKEN,)),  # Token summary
    ("livekit-token", f'Room details received: {{"token":"{TOKEN}","room_name":"lobby-7"}}', (TOKEN,)),  # JSON
    ("livekit-token", f'{{\\"token\\":\\"{TOKEN}\\",\\"room_name\\":\\"x\\"}}', (TOKEN,)),  # escaped JSON
    ("livekit-token", f"wss://h.livekit.cloud/rtc?access_token={TOKEN}&auto_subscribe=1", (TOKEN,)),  # signal URL
    ("livekit-token", f"signal connection: invalid token: {TOKEN}, error: token is expired (exp)", (TOKEN,)),  # LiveKit
    ("livekit-token", f"Authorization: Bearer {TOKEN}", (TOKEN,)),  # a JWT as bearer token stays a LiveKit token
    ("livekit-token", f"token={TOKEN.replace('.', '%2E')}", (TOKEN.replace(".", "%2E"),)),  # URL-encoded dots
    ("livekit-token", f"Token: {NODE_TOKEN}", (NODE_TOKEN,)),  # Node SDK header without typ
    (
        "livekit-token",
        "invalid token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIi, error: x",
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIi",),
    ),  # cut
    ("livekit-token", "Token: opaque-room-token-1234; Room Name: r", ("opaque-room-token-1234",)),  # not a JWT
    ("livekit-token", "ACCESS_TOKEN=abcdefgh12345678", ("abcdefgh12345678",)),  # label in capitals
    # --- Convai API keys
    ("api-key", f"[ConnectAPI] Request: POST https://live.convai.com/connect | X-API-Key: {KEY} | Body: {{}}", (KEY,)),
    ("api-key", f"CONVAI-API-KEY: {KEY}", (KEY,)),  # REST header
    ("auth-token", '{"accessToken":"opaqueAbc123def456"}', ("opaqueAbc123def456",)),  # an opaque access token
    ("auth-token", '{"session_token": "opaqueAbc123def456"}', ("opaqueAbc123def456",)),  # and a session token
    ("user-name", "/mnt/c/Users/jdoe/Project/x.cs", ("jdoe",)),  # WSL
    ("ip-address", "raddr 198.51.100.21 rport 50522", ("198.51.100.21",)),  # a candidate's related address
    ("api-key", f"https://api.convai.com/x?api_key={KEY}&y=1", (KEY,)),  # query string
    ("api-key", f'{{"apiKey": "{KEY}"}}', (KEY,)),  # JSON, camel case
    ("api-key", f"api_key%3D{KEY}", (KEY,)),  # URL-encoded separator
    ("api-key", f'{{\\"api_key\\":\\"{KEY}\\"}}', (KEY,)),  # escaped JSON
    ("api-key", f'"key": "{KEY}"', (KEY,)),  # 32 hex after any key label
    ("api-key", f"using key -> {KEY}", (KEY,)),  # 32 hex a few symbols after `key`
    ("api-key", f"my api key is {KEY}", (KEY,)),  # a sentence a player or a developer wrote
    ("api-key", f"The Convai API key was: {KEY}.", (KEY,)),
    ("api-key", "x-api-key: My-Custom-Key_001", ("My-Custom-Key_001",)),  # not hex, still after an API-key label
    # --- auth tokens and other credentials
    ("auth-token", "API-AUTH-TOKEN: opaque-thing-123", ("opaque-thing-123",)),  # Convai auth header
    ("auth-token", '{"apiAuthToken":"abc.def-123456"}', ("abc.def-123456",)),  # JSON
    ("auth-token", "Authorization: Bearer opaque_token_1234", ("opaque_token_1234",)),  # bearer, not a JWT
    ("auth-token", "Authorization: Basic dXNlcjpwYXNzd29yZA==", ("dXNlcjpwYXNzd29yZA==",)),  # basic auth
    ("auth-token", "refresh_token=rt-1234567890", ("rt-1234567890",)),  # OAuth-style refresh token
    ("auth-token", "wss://h.livekit.cloud/rtc?token=opaqueAbc123def456&sdk=unity", ("opaqueAbc123def456",)),  # URL
    ("auth-token", "Cookie: theme=dark; session=opaqueAbc123def456", ("opaqueAbc123def456",)),  # a session cookie
    # a header, cookie or query parameter as a name/value pair (HAR, Postman), a first quoted argument, a table row
    ("api-key", f'{{"name":"CONVAI-API-KEY","value":"{KEY}"}}', (KEY,)),  # HAR header
    (
        "api-key",
        '{"key": "X-API-Key", "value": "My-Custom-Key_001", "type": "text"}',
        ("My-Custom-Key_001",),
    ),  # Postman
    ("auth-token", '{"name": "API-AUTH-TOKEN",\n "value": "opaque-thing-123"}', ("opaque-thing-123",)),  # pretty
    ("auth-token", '{\\"name\\":\\"API-AUTH-TOKEN\\",\\"value\\":\\"opaque-thing-123\\"}', ("opaque-thing-123",)),
    ("auth-token", '{"name":"Authorization","value":"Bearer opaque_token_1234"}', ("opaque_token_1234",)),
    ("api-key", f'{{"value": "{KEY}", "name": "X-API-Key"}}', (KEY,)),  # value first
    ("auth-token", '{"value": "opaque-thing-123", "key": "API-AUTH-TOKEN"}', ("opaque-thing-123",)),  # Postman
    ("auth-token", '{"value":"Bearer opaque_token_1234","name":"Authorization"}', ("opaque_token_1234",)),
    ("secret", '{"value": "hunter22", "comment": "", "name": "password"}', ("hunter22",)),
    ("auth-token", '{"name":"Cookie","value":"sid=opaqueAbc123def456"}', ("opaqueAbc123def456",)),  # Cookie header
    ("auth-token", '"cookies": [{"name": "sid", "value": "opaqueAbc123def456"}]', ("opaqueAbc123def456",)),  # HAR
    ("auth-token", "metadata: [('api-auth-token', 'opaque-thing-123')]", ("opaque-thing-123",)),  # gRPC metadata
    ("auth-token", 'xhr.setRequestHeader("API-AUTH-TOKEN", "opaque-thing-123")', ("opaque-thing-123",)),  # a call
    ("auth-token", "| API-AUTH-TOKEN | opaque-thing-123 |", ("opaque-thing-123",)),  # a Markdown header table
    ("auth-token", "API-AUTH-TOKEN\topaque-thing-123", ("opaque-thing-123",)),  # tab-separated
    ("auth-token", "API-AUTH-TOKEN -> opaque-thing-123", ("opaque-thing-123",)),  # an arrow
    ("auth-token", "Key(api-auth-token): opaque-thing-123", ("opaque-thing-123",)),  # a label in parentheses
    ("end-user-id", '{"name":"end_user_id","value":"bartholomew-43"}', ("bartholomew-43",)),  # a HAR query parameter
    ("secret", "password=hunter22 next", ("hunter22",)),  # password label
    ("secret", 'client_secret: "s3cr3t-value"', ("s3cr3t-value",)),  # secret label
    ("secret", "connecting to wss://user:pa55word@example.com/rtc", ("user:pa55word",)),  # credentials in a URL
    ("secret", '{"urls":"turn:turn.example.net","credential":"Hf3Kd9sLq2Wm8Zx5"}', ("Hf3Kd9sLq2Wm8Zx5",)),  # TURN
    ("secret", "turn:turn.example.net:3478 credential=Hf3Kd9sLq2Wm8Zx5", ("Hf3Kd9sLq2Wm8Zx5",)),  # a dump
    # --- the end user
    ("end-user-id", '"end_user_id":"e64e4c95f14ff0ff690e02ddffacfe32"', ("e64e4c95f14ff0ff690e02ddffacfe32",)),
    ("end-user-id", "; Resolved End User ID: guest-4f2a9c61e0b7", ("guest-4f2a9c61e0b7",)),  # Token summary
    ("end-user-id", '\\"end_user_id\\":\\"player-7d41c0\\"', ("player-7d41c0",)),  # escaped JSON
    ("end-user-id", "endUserId=player-42&x=1", ("player-42",)),  # query string
    ("end-user-metadata", '"end_user_metadata":{"name":"Jordan Doe"}', ("Jordan Doe",)),  # the usual shape
    ("end-user-metadata", '<EndUserMetadata v="1"> {"name":"Jo"} </EndUserMetadata>', ('{"name":"Jo"}',)),  # XML
    (  # string values at any depth, numbers and booleans kept
        "end-user-metadata",
        '"end_user_metadata":{"name":"Ann","tags":["vip","beta"],"age":31,"ok":true,"x":{"y":"z"}}',
        ("Ann", "vip", "beta", "z"),
    ),
    ("end-user-metadata", '\\"end_user_metadata\\":{\\"name\\":\\"Priya\\"}', ("Priya",)),  # escaped JSON
    ("end-user-metadata", '"end_user_metadata":{"q":"say \\"hi\\""}', ('say \\"hi\\"',)),  # escaped quote inside
    ("end-user-metadata", '"end_user_metadata":"{\\"name\\":\\"x\\"}"', ('{\\"name\\":\\"x\\"}',)),  # a JSON string
    # --- what people said
    (
        "player-text",
        "[Debug][SDK]: [ConvaiRoomManager] Sent user text message: where are the books?",
        ("where are the books?",),
    ),
    ("player-text", "<color=cyan>[Debug][SDK]: Sent user text message: hi there</color>", ("hi there",)),  # colored
    ("player-text", "POST /character/getResponse userText=my pin is 4455&charID=abc", ("my pin is 4455",)),  # REST form
    ("player-text", '{"userText":"it\'s \\"12 Elm Street\\"","charID":"abc"}', ('it\'s \\"12 Elm Street\\"',)),  # JSON
    (
        "transcript",
        "[Info][Transcript]: Librarian Ava: Maritime history is upstairs.",
        ("Maritime history is upstairs.",),
    ),
    ("transcript", "[Info][Transcript]: You: is the reading room open?", ("is the reading room open?",)),
    # --- e-mail addresses
    ("email", "contact jordan.doe+unity@example.co.uk now", ("jordan.doe+unity@example.co.uk",)),
    ("email", "email=jordan%40example.com&x", ("jordan%40example.com",)),  # URL-encoded
    # --- OS user names in paths
    ("user-name", "(at C:/Users/jdoe/dev/sdk/Runtime/X.cs:57)", ("jdoe",)),  # Unity frame
    ("user-name", r"C:\Users\John Smith\AppData\Local\Unity\Editor\Editor.log", ("John Smith",)),  # a space
    ("user-name", r'"path":"C:\\Users\\jdoe\\x.cs"', ("jdoe",)),  # escaped JSON
    ("user-name", "/Users/alex/Library/Logs/Unity/Editor.log", ("alex",)),  # macOS
    ("user-name", r"C:\Users\<Ana Lima>\AppData\x.json", ("Ana Lima",)),  # a name written in by hand
    ("user-name", "/Users/<user-name-1>mdubois/x.json", ("mdubois",)),  # glued after a placeholder
    ("user-name", "/home/sam/.config/unity3d/Editor.log", ("sam",)),  # Linux
    ("user-name", "/home2/sam/.config/unity3d/Editor.log", ("sam",)),  # a numbered home root
    ("user-name", "/export/home/sam/unity", ("sam",)),  # a home root under a root folder (Solaris, NFS)
    ("user-name", "/root/../home/sam/unity", ("sam",)),  # a path through `..`
    ("user-name", '[Licensing::IpcConnector] Successfully connected to: "LicenseClient-jdoe"', ("jdoe",)),  # licensing
    (
        "user-name",
        "[Stack Trace - Method: MoveNext, at Line: 145 in File: C:\\Users\\kim\\x.cs]",
        ("kim",),
    ),  # v3 plugin
    ("user-name", r"\\wsl$\Ubuntu\home\mgonzalez\proj\X.cs", ("mgonzalez",)),  # WSL from Windows
    ("user-name", r"\\wsl.localhost\Ubuntu-22.04\home\mgonzalez\p", ("mgonzalez",)),  # WSL, newer form
    ("user-name", r"\\fileserver\home$\mgonzalez\Unity", ("mgonzalez",)),  # a home share
    ("user-name", "C://Users//mgonzalez//AppData", ("mgonzalez",)),  # doubled separators
    ("user-name", "cd ~mgonzalez/Projects", ("mgonzalez",)),  # a shell's `~name`
    ("user-name", "USERNAME=mgonzalez COMPUTERNAME=DESKTOP-1", ("mgonzalez",)),  # the account's variable
    ("user-name", '{"urls":"turn:x","username":"1700000000:jdoe"}', ("1700000000:jdoe",)),  # TURN REST username
    ("user-name", "STUN binding request USERNAME=Kd8s:Lq2p", ("Kd8s:Lq2p",)),  # both ufrags of a STUN USERNAME
    ("user-name", '{"username":"Bart Quist"}', ("Bart Quist",)),  # a quoted one of several words
    ("user-name", r"C:\Users\Siobhan O'Brien\Projects", ("Siobhan O'Brien",)),  # an apostrophe in the name
    # --- IP addresses
    (  # ICE candidates: the address and the related address
        "ip-address",
        "candidate:842163049 1 udp 1694498815 198.51.100.10 50522 typ srflx raddr 192.168.1.23 rport 50522",
        ("198.51.100.10", "192.168.1.23"),
    ),
    ("ip-address", "candidate:1 1 udp 2122262783 2001:db8::1 56789 typ host", ("2001:db8::1",)),  # IPv6 candidate
    ("ip-address", "Navigated to http://192.168.1.40:8080/", ("192.168.1.40",)),  # URL host
    ("ip-address", "wss://[2001:db8::5]:7880/rtc", ("2001:db8::5",)),  # IPv6 URL host
    ("ip-address", "turn:198.51.100.7:3478?transport=udp", ("198.51.100.7",)),  # TURN URL
    ("ip-address", "connection from 203.0.113.9 refused", ("203.0.113.9",)),  # `from <ip>`
    ("ip-address", "remote_ip=203.0.113.9", ("203.0.113.9",)),  # labelled
    # any other address, by its shape: a user expects every one hidden
    ("ip-address", "[Network]: Public address 203.0.113.45", ("203.0.113.45",)),  # no `:` after the label
    ("ip-address", "peer 198.51.100.77 disconnected", ("198.51.100.77",)),  # a bare word before it
    ("ip-address", "203.0.113.8", ("203.0.113.8",)),  # nothing around it
    ("ip-address", "firewall allow 203.0.113.47/32", ("203.0.113.47",)),  # CIDR suffix
    ("ip-address", "leading 203.000.113.045 zeros", ("203.000.113.045",)),  # leading zeros
    ("ip-address", "resolved ip-203-0-113-45.ec2.internal", ("203-0-113-45",)),  # a host name's form
    ("ip-address", "Unity version 2022.3.45f1 connected from 203.0.113.46", ("203.0.113.46",)),  # version far off
    (
        "ip-address",
        "connecting to [2a02:8071:5e1:2c00:1d2b:3c4d:5e6f:7a8b]:443",
        ("2a02:8071:5e1:2c00:1d2b:3c4d:5e6f:7a8b",),
    ),
    ("ip-address", '{"ip": "::ffff:198.51.100.13"}', ("::ffff:198.51.100.13",)),  # IPv4-mapped IPv6
    ("ip-address", "ip:2001:db8::1 gone", ("2001:db8::1",)),  # after a label's colon
    ("ip-address", "route 2a02:6b8:: via eth0", ("2a02:6b8::",)),  # compressed to its end
    ("ip-address", "connect to 198.51.<b>100.4:443", ("198.51.<b>100.4",)),  # a tag inside
    ("ip-address", "connect to 198.51.\x1b[1m100.4\x1b[0m:443", ("198.51.\x1b[1m100.4",)),  # an ANSI code inside
    ("ip-address", "connect to 198.51. 100.4:443", ("198.51. 100.4",)),  # one blank beside a dot
    ("ice-credential", "a=ice-ufrag:Ab12Cd", ("Ab12Cd",)),  # SDP ufrag
    ("ice-credential", "a=ice-pwd:Zx9yW8vU7tS6rQ5pO4nM3lK2", ("Zx9yW8vU7tS6rQ5pO4nM3lK2",)),  # SDP password
    ("ice-credential", "Set ICE ufrag: Ab12 pwd: Zx9yW8vU7tS6rQ5p", ("Ab12", "Zx9yW8vU7tS6rQ5p")),  # native WebRTC
    (  # RTCIceParameters as JSON: camelCase labels
        "ice-credential",
        '{"iceUfrag":"Ab12","icePwd":"Zx9yW8vU7tS6rQ5pO4nM3lK2"}',
        ("Ab12", "Zx9yW8vU7tS6rQ5pO4nM3lK2"),
    ),
    ("ice-credential", '{"sdpMid":"0","usernameFragment":"Ab12"}', ("Ab12",)),  # RTCIceCandidate.toJSON()
    (  # a native dump: blanks, no colon
        "ice-credential",
        "ufrag Ab12 pwd Zx9yW8vU7tS6rQ5pO4nM3lK2",
        ("Ab12", "Zx9yW8vU7tS6rQ5pO4nM3lK2"),
    ),
]

# (kind that must not fire, text)
MUST_KEEP: list[tuple[str, str]] = [
    # a name/value pair, a call, a table row whose name is no credential's label, or whose value is a count
    ("api-key", '{"name": "Content-Type", "value": "application/json"}'),
    ("auth-token", '{"value": "opaque-thing-123", "name": "Description of the auth token"}'),
    ("auth-token", 'Log("auth_token", "missing")'),  # a word, not a value
    ("auth-token", '"cookies": [{"name": "theme", "value": "dark"}]'),  # a setting, not a session
    ("end-user-id", "| end-user-id | 1 | 1 |"),  # a summary's count
    ("player-text", "userTextLength: 12"),
    ("user-name", "(at /Users/bokken/buildslave/unity/build/Runtime/Debug.bindings.h:35)"),  # Unity's build machine
    (
        "user-name",
        "(Filename: /home/builduser/buildslave/unity/build/Debug.bindings.h Line: 35)",
    ),  # Linux build machine
    ("ice-credential", "ufrag: none"),  # an empty field
    ("ice-credential", "OLDPWD=/opt/unity"),  # a shell variable that ends in the letters
    ("ice-credential", "ran pwd then ls"),  # the shell command, a short word after it
    ("livekit-token", "Token: null; Room Name: r"),  # an empty field
    ("livekit-token", "[Debug][Transport]: Token request sent"),  # the word, no value
    ("livekit-token", "eyJhbG"),  # too short to be a token piece (`eyJ` and three)
    ("livekit-token", "Session error: connection.auth_token_fetch_failed"),  # an error code
    ("api-key", "Convai Bootstrapper: API key not configured. Please set your API key in Edit > Project Settings."),
    ("api-key", "sessionErrorMessage=Invalid API key; recovery={status=Failed}"),  # prose, no value
    ("api-key", "UnityEngine.Transform.get_rotation () (at <cc54933d6df84ff08e916a4036d0b6c6>:0)"),  # assembly id
    ("api-key", "Start importing Assets/A.fbx using Guid(3f2c0367e1b9a84c7d9e0f1a2b3c4d5e) Importer(-1,0)"),  # GUID
    ("api-key", "KeyCode.Space pressed"),  # the word key
    ("api-key", "my api key is 0f3c9a7e21b84d65 (the first half)"),  # too short for a key
    ("auth-token", "config.auth_token_provider_missing"),  # an error code
    ("secret", "Secret Santa starts at noon"),  # prose
    ("secret", "password reset email sent"),  # prose
    ("secret", "Failed to refresh the TURN credential: the server closed the connection"),  # prose after a colon
    ("user-name", "Invalid username: too short"),  # prose after a colon
    ("end-user-id", '"end_user_id":null,"x":1'),  # no value
    ("end-user-id", "; Resolved End User ID: none"),  # no value
    ("end-user-metadata", '"end_user_metadata":{},"x":"y"'),  # nothing inside
    ("end-user-metadata", '"end_user_metadata":null,"name":"kept"'),  # no value; a later key is not metadata
    ("player-text", "Sent user text message:"),  # nothing typed
    ("transcript", "[Info][Character]: Librarian Ava: speaking"),  # another category
    ("email", "Assets/UI/Button@2x.png"),  # an asset name
    ("email", "com.unity.render-pipelines.core@14.0.8"),  # a package version
    ("user-name", "/Users/Shared/Unity/cache"),  # a shared folder
    ("user-name", "C:/Users/Public/Documents"),  # a shared folder
    ("user-name", "GET https://api.example.com/users/123"),  # a URL path
    ("user-name", "(at Assets/Users/ProfileView.cs:12)"),  # a project folder
    ("user-name", "(at Assets/Scripts/../Home/HomeScreen.cs:12)"),  # a project folder, in a relative path
    ("user-name", "GET https://example.com/api/home/feed"),  # a URL path
    ("user-name", r"C:\PROGRA~1\Unity\Editor ~/x"),  # a short name, the own home
    ("user-name", "ls ~_www/htdocs"),  # a system account (macOS names them with `_`)
    ("user-name", r"~_\ and ~a/"),  # one character after `~` names no one
    ("user-name", "path=%USERNAME% USER=$USER"),  # variables, not names
    ("ip-address", "[BuildInfo] Convai SDK 1.2.0.4 loaded"),  # a version after a product name
    ("ip-address", "steps 1. 2. 3. 4 done"),  # numbers a blank apart more than once: a list
    ("ip-address", "upgraded from version 1.2.<b>3.4"),  # a version with markup inside
    ("ip-address", "Package upgraded from 1.2.0.4 to 1.3.0.0"),  # a version after `from`
    ("ip-address", "connection from 127.0.0.1"),  # loopback
    ("ip-address", "Initialize engine version: 2022.3.45f1 (a13dfa44d684)"),  # Unity version
    ("ip-address", "[livekit] connected to Livekit Server {region: 'us-east', version: '1.8.4'}"),  # a version
    ("ip-address", "wss://convai-technologies-lfslae7c.livekit.cloud"),  # the LiveKit host is not an address
    ("ip-address", "[Licensing::Client] Successfully resolved entitlement details"),  # `::` is not IPv6
    ("ip-address", "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins."),  # numbers
    ("ip-address", "UnityEngine.CoreModule, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null"),  # assembly
    ("ip-address", "System.Memory Assembly references: 4.0.1.1 Found in project: 4.0.1.2."),  # assembly versions
    ("ip-address", "Convai plugin v1.2.3.4 and version 1.2.3.5"),  # a version label touching it
    ("ip-address", "Loading 1.2.3.4.5 and x.203.0.113.9"),  # part of a longer dotted run
    ("ip-address", "Initialize engine version: 6000.0.23f1 (a13dfa44d684)"),  # Unity 6 version
    ("ip-address", "[14:00:01.000] std::map a::b Licensing::Client 00:1a:2b:3c:4d:5e"),  # scopes, times, MAC
]

# Identifiers kept by default and pseudonymised by --profile public: (kind, text, value)
PUBLIC_ROWS: list[tuple[str, str, str]] = [
    ("session-id", '"session_id":"e3d919ed-2c94-5665-8528-d0a48e0dfceb"', "e3d919ed-2c94-5665-8528-d0a48e0dfceb"),
    ("session-id", "; Session ID: s-543; Character Session ID: cs-1", "s-543"),  # not the character session's
    ("character-session-id", "; Character Session ID: cs-543", "cs-543"),
    ("request-trace-id", '"request_trace_id":"3f40ebc4-f713"', "3f40ebc4-f713"),
    ("speaker-id", "; Resolved Speaker ID (diagnostics): sp-9", "sp-9"),
    ("room-name", "; Room Name: convai-1ceda05c-2d75", "convai-1ceda05c-2d75"),
    (
        "character-id",
        "Attempt 1 connecting character b1f11ed0-c431-56b5-a779-66617a0b21de (mode=create)",
        "b1f11ed0-c431-56b5-a779-66617a0b21de",
    ),
    ("livekit-host", "Room URL: wss://convai-technologies-lfslae7c.livekit.cloud;", "convai-technologies-lfslae7c"),
]


def values_of(kind: str, text: str, detectors: tuple[Detector, ...] = DETECTORS) -> list[str]:
    return [span.value(text) for span in DetectorSet(detectors).find(text) if span.kind == kind]


@pytest.mark.parametrize(
    ("kind", "text", "expected"), MUST_REDACT, ids=[f"{r[0]}-{i}" for i, r in enumerate(MUST_REDACT)]
)
def test_detector_redacts(kind: str, text: str, expected: tuple[str, ...]) -> None:
    assert tuple(values_of(kind, text)) == expected


@pytest.mark.parametrize(("kind", "text"), MUST_KEEP, ids=[f"{r[0]}-{i}" for i, r in enumerate(MUST_KEEP)])
def test_detector_keeps(kind: str, text: str) -> None:
    assert values_of(kind, text) == []


def test_every_detector_has_a_row_of_its_own() -> None:
    """Each detector fires on at least one must-redact row (so no detector goes untested)."""
    for detector in DETECTORS:
        assert any(
            list(detector.scan(text, 0, len(text), text.lower()))
            for kind, text, _ in MUST_REDACT
            if kind == detector.kind
        ), f"no row exercises a {detector.kind} detector: {detector.pattern.pattern[:60]}"


def test_every_kind_is_a_known_placeholder_kind() -> None:
    for detector in (*DETECTORS, *PUBLIC_DETECTORS, *STRICT_DETECTORS):
        assert detector.kind in KINDS
        assert PLACEHOLDER.fullmatch(f"<{detector.kind}-3>") and PLACEHOLDER.fullmatch(f"<{detector.kind}>")


@pytest.mark.parametrize(("kind", "text", "value"), PUBLIC_ROWS, ids=[r[0] for r in PUBLIC_ROWS])
def test_public_identifiers(kind: str, text: str, value: str) -> None:
    assert values_of(kind, text, DETECTORS + PUBLIC_DETECTORS) == [value]
    assert DetectorSet(DETECTORS).find(text) == []  # kept by default: support needs them


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("eyJhbGciOiJ", "livekit-token"),  # eight characters after eyJ: what is left of a cut token
        (f"key -> {KEY}", "api-key"),  # 32 hex a few symbols after a key label
        (f'"name": "CONVAI-API-KEY",\n            "value": "{KEY}"', "api-key"),  # a pretty-printed HAR header
    ],
)
def test_strict_shapes(text: str, kind: str) -> None:
    assert [s.kind for s in DetectorSet(STRICT_DETECTORS).find(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "eyJhbGci",  # `eyJ` and five: a run the re-scan takes for a token
        "eyJabcd",  # `eyJ` and four, the fewest
        "eyJhbGciOi.",  # a header's start, then a dot
        "x eyJhbGciOi y",
        "eyJhbGciOi. eyJhbGciOi. eyJhbGciOi.",  # runs a blank beside a dot does not join: each is one
    ],
)
def test_every_run_the_re_scan_calls_a_token_is_one_redaction_finds(text: str) -> None:
    """Else `redact` refuses the log (its output fails the re-scan) instead of hiding the run."""
    strict = [(s.start, s.end) for s in DetectorSet(STRICT_DETECTORS[:1]).find(text)]
    found = [(s.start, s.end) for s in DetectorSet(DETECTORS).find(text) if s.kind == "livekit-token"]
    assert strict and all(any(a <= start and end <= b for a, b in found) for start, end in strict)


def test_gates_are_lowercase_and_screens_cover_every_detector() -> None:
    """Whole-file screening looks only for the minimal gates and shapes; each detector must be reachable."""
    screen = DetectorSet(DETECTORS + PUBLIC_DETECTORS + STRICT_DETECTORS)
    for detector in screen.detectors:
        assert all(gate == gate.lower() for gate in detector.gates)
        if detector.shapes:
            assert set(detector.shapes) <= set(screen.shapes)
        else:
            assert all(any(g in gate for g in screen.literal_gates) for gate in detector.screen or detector.gates)
            # a per-line gate must hold a screen: a line a detector fires on is never screened out
            assert not detector.screen or all(any(s in gate for s in detector.screen) for gate in detector.gates)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"Token: {TOKEN}; Room Name: lobby-7", "Token: <livekit-token>; Room Name: lobby-7"),  # room kept
        ("Sent user text message: my secret plan", "Sent user text message: <player-text>"),
        ("no secrets here", "no secrets here"),  # unchanged, same object is fine
        (f"a@b.io and {KEY} after key={KEY}", f"<email> and {KEY} after key=<api-key>"),  # bare hex is not a key
    ],
)
def test_mask(text: str, masked: str) -> None:
    assert mask(text) == masked


def test_overlapping_spans_earlier_then_longer_wins() -> None:
    text = f"Sent user text message: mail me at a@example.com {TOKEN}"
    spans = DetectorSet(DETECTORS).find(text)
    assert [s.kind for s in spans] == ["player-text"]  # everything typed is one span, whatever it contains
    assert spans[0].value(text).endswith(TOKEN)


def test_lowercasing_that_moves_offsets_falls_back_to_case_insensitive_matching() -> None:
    text = "İİİ X-API-Key: " + KEY  # 'İ'.lower() is two characters
    assert len(text.lower()) != len(text)
    assert values_of("api-key", text) == [KEY]


@pytest.mark.parametrize(
    ("text", "depth", "values"),
    [
        ('{"a":"x","b":[1,"y",{"c":"z"}],"d":null}', 0, ["x", "y", "z"]),  # keys never
        ('{\\"a\\":\\"x\\",\\"b\\":2}', 1, ["x"]),  # escaped once
        ('{"a":"has \\" quote"} trailing "text"', 0, ['has \\" quote']),  # stops at the end of the value
        ('"just a string", "next"', 0, ["just a string"]),  # a top-level string
        ("42, true", 0, []),  # a number
        ('{"a":"unterminated', 0, []),  # broken JSON: nothing
    ],
)
def test_json_string_values(text: str, depth: int, values: list[str]) -> None:
    assert [text[s:e] for s, e in json_string_values(text, 0, depth)] == values


@pytest.mark.parametrize(
    ("predicate", "value", "expected"),
    [
        (is_empty_word, "null", True),  # JSON null
        (is_empty_word, "(none)", True),  # SDK placeholder
        (is_empty_word, "player-1", False),  # a real id
        (is_asset_file, "Button@2x.png", True),  # asset name
        (is_asset_file, "a@example.com", False),  # an address
        (is_shared_profile, "Public", True),  # shared folder
        (is_shared_profile, "%USERNAME%", True),  # a variable, not a name
        (is_shared_profile, "jdoe", False),  # a person
        (is_local_address, "127.0.0.1", True),  # loopback
        (is_local_address, "::1", True),  # IPv6 loopback
        (is_local_address, "0.0.0.0", True),  # unspecified
        (is_local_address, "198.51.100.10", False),  # routable
    ],
)
def test_false_positive_predicates(predicate: object, value: str, expected: bool) -> None:
    assert callable(predicate)
    assert predicate(value) is expected


def test_version_word_is_looked_for_just_before_the_address() -> None:
    text = "Updated package from 1.2.0.4"
    assert is_version_number(text, text.index("1.2"))
    assert not is_version_number("connection from 10.0.0.1", 16)
    # a version earlier on the line excuses nothing: only what touches the quad counts
    text = "Unity version 2022.3.45f1 connected from 203.0.113.46"
    assert not is_version_number(text, text.index("203."))


def test_placeholder_pattern_is_not_fooled_by_rich_text() -> None:
    assert not PLACEHOLDER.fullmatch("<b>")
    assert not PLACEHOLDER.fullmatch("<cc54933d6df84ff08e916a4036d0b6c6>")
    assert PLACEHOLDER.fullmatch("<livekit-token-2 room=lobby exp=2031-04-26T18:40:00Z identity=end-user-id-1>")
    assert re.search(PLACEHOLDER, "x <email> y")
