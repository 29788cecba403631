"""Staff roles, account names, new passwords and the keys login attempts are counted under."""

import pytest

from webapp.domain.accounts import (
    StaffUser,
    check_new_password,
    parse_role,
    parse_user_name,
    role_includes,
    throttle_keys,
)
from webapp.domain.errors import InvalidEditError


@pytest.mark.parametrize(("role", "needed", "allowed"), [
    ("admin", "editor", True), ("editor", "editor", True), ("viewer", "editor", False),
    ("editor", "admin", False), ("viewer", "viewer", True), ("nobody", "viewer", False)])
def test_role_includes_follows_viewer_editor_admin_order(role, needed, allowed):
    assert role_includes(role, needed) is allowed


@pytest.mark.parametrize("name", ["ada", "张三", "li.wei@huashan", "x-1_2"])
def test_account_name_accepts_letters_digits_and_marks(name):
    assert parse_user_name(f" {name} ") == name


@pytest.mark.parametrize("name", ["", "a", "has space", "x" * 41, "semi;colon", "<b>"])
def test_account_name_refuses_bad_name(name):
    with pytest.raises(InvalidEditError) as caught:
        parse_user_name(name)
    assert caught.value.fields == {"name": ("use 2 to 40 letters, digits or . @ - _", {})}


def test_account_role_refuses_unknown_role():
    with pytest.raises(InvalidEditError) as caught:
        parse_role("root")
    assert str(caught.value) == "role: unknown role “root”; use one of viewer, editor, admin"


@pytest.mark.parametrize(("password", "confirmation", "field"), [
    ("short", "short", "password"), ("x" * 201, "x" * 201, "password"),
    ("long enough pw", "long enough pW", "password_confirm")])
def test_account_password_refuses_bad_password(password, confirmation, field):
    with pytest.raises(InvalidEditError) as caught:
        check_new_password(password, confirmation)
    assert list(caught.value.fields) == [field]


def test_account_password_accepts_ten_characters_typed_twice():
    assert check_new_password("0123456789", "0123456789") == "0123456789"


def test_throttle_keys_ignore_name_case_and_spaces():
    assert throttle_keys(" Ada ", "10.0.0.1") == ("account:ada", "address:10.0.0.1")


@pytest.mark.parametrize("typed", ["İpek", "i̇pek", "ıpek", "IPEK", "ｉｐｅｋ", "ＩＰＥＫ"])
def test_throttle_keys_fold_every_spelling_of_an_unknown_name_alike(typed):
    assert throttle_keys(typed, None)[0] == "account:ipek"


def test_throttle_keys_of_a_matched_account_name_its_id():
    account = StaffUser(7, "İpek", "editor", "hash")
    assert throttle_keys("ıPEK", "10.0.0.1", account) == ("account-id:7", "address:10.0.0.1")


def test_throttle_keys_are_bounded():
    assert len(throttle_keys("ﷺ" * 10_000, None)[0]) <= len("account:") + 100
