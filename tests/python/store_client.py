"""Drives Stoa's /mcp/store with the official MCP Python SDK (a client written by someone
else): lists the tools and checks a derived input schema, registers a customer, checks
error results, logs in, and reads the account in the same MCP session.

Usage: python store_client.py http://127.0.0.1:PORT/mcp/store
Prints "ok" and exits 0 when every check passes; otherwise raises (exit status 1).
"""

import asyncio
import sys
import uuid

from mcp import Client


def text_of(result) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", "") == "text")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


async def main(url: str) -> None:
    email = f"py-{uuid.uuid4().hex}@example.com"
    password = "python-pass-1"
    async with Client(url) as client:
        listed = await client.list_tools()
        tools = {tool.name: tool for tool in listed.tools}
        for name in ("store_register", "store_login", "store_get_account"):
            check(name in tools, f"{name} missing from {sorted(tools)}")
        schema = tools["store_register"].input_schema
        check(schema["properties"]["first_name"]["type"] == "string", f"schema: {schema}")
        check(sorted(schema["required"]) == ["email", "password"], f"required: {schema}")
        check(tools["store_get_account"].annotations.read_only_hint is True, "read-only hint")

        registered = await client.call_tool(
            "store_register",
            {"email": email, "password": password, "first_name": "Py", "last_name": "Thon"},
        )
        check(not registered.is_error, f"register failed: {text_of(registered)}")
        check(registered.structured_content["email"] == email, f"register: {registered}")

        guest = await client.call_tool("store_get_account", {})
        check(guest.is_error, "a guest must not read an account")
        check(text_of(guest).startswith("UNAUTHENTICATED:"), f"guest: {text_of(guest)}")

        wrong = await client.call_tool("store_login", {"email": email, "password": "not-the-password"})
        check(wrong.is_error, "wrong password must fail")
        check(text_of(wrong).startswith("INVALID_CREDENTIALS:"), f"wrong: {text_of(wrong)}")

        logged_in = await client.call_tool("store_login", {"email": email, "password": password})
        check(not logged_in.is_error, f"login failed: {text_of(logged_in)}")
        check("accessToken" not in text_of(logged_in), "tokens must stay on the server")

        account = await client.call_tool("store_get_account", {})
        check(not account.is_error, f"account failed: {text_of(account)}")
        check(account.structured_content["email"] == email, f"account: {account.structured_content}")
        check(account.structured_content["firstName"] == "Py", f"account: {account.structured_content}")
    print("ok")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
