"""The declarative base every table of the guide's database is defined on."""

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

#: Names for constraints and indexes, so that migrations can refer to them on
#: every database (SQLite gives unnamed constraints no name to alter).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
Base = declarative_base(metadata=metadata)
