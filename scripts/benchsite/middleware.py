"""Counts the SQL queries of each request into an ``X-Query-Count`` response header."""

from django.db import connection


def query_count(get_response):
    def middleware(request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
            if response.streaming:
                # Streamed bodies (exports) run their queries while being sent: no header.
                return response
        response["X-Query-Count"] = str(count)
        return response

    return middleware
